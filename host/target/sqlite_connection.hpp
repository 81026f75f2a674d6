// A SQLite database file, on its own sqlite3 handle: Poco 1.11's SQLite
// connector re-prepares on every execute() (shared/reference/limits.md,
// finding 1), the hot insert path needs one prepared statement per stream,
// and Poco opens its handle in serialised mode (a mutex taken on every call)
// where one thread at a time needs none.
//
// Run locks: SQLite has no advisory locks, so they are open-file-description
// locks (fcntl F_OFD_SETLK) on one byte per key of a side file, PATH-sluice-
// lock. The kernel releases them when the process ends, however it ends, and
// they conflict between connections of one process too.
#pragma once

#include "host/target/sql_connection.hpp"

#include <memory>
#include <string>

struct sqlite3;

namespace sluice::host {

class SqliteConnection : public SqlConnection {
 public:
  // path: a file name (created if missing) or ":memory:".
  SqliteConnection(std::string url, const std::string& path);
  ~SqliteConnection() override;

  std::string display_url() const override { return url_; }
  std::string default_schema() const override { return ""; }
  SqlRows query(const Sql& sql, std::vector<std::string>* column_names = nullptr) override;
  uint64_t execute(const Sql& sql) override;
  std::unique_ptr<TableWriter> writer(const WriteSpec& spec) override;
  bool try_lock(const std::string& key) override;
  void unlock(const std::string& key) override;

 private:
  void exec_plain(const char* sql);        // throws TargetError naming `sql`
  int exec_plain_rc(const char* sql);      // SQLite's result code; errmsg holds the reason
  void switch_to_wal();

  std::string url_;
  std::string lock_path_;  // "" for :memory: (private: nothing to lock against)
  int lock_fd_ = -1;
  sqlite3* db_ = nullptr;  // owned
};

}  // namespace sluice::host
