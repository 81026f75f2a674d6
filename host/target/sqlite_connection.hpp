// A SQLite database file. Poco::Data opens and owns the session; statements
// run on the session's own sqlite3 handle, because Poco 1.11's SQLite
// connector re-prepares on every execute() (shared/reference/limits.md,
// finding 1) and the hot insert path needs one prepared statement per
// stream.
//
// Run locks: SQLite has no advisory locks, so they are open-file-description
// locks (fcntl F_OFD_SETLK) on one byte per key of a side file, PATH-sluice-
// lock. The kernel releases them when the process ends, however it ends, and
// they conflict between connections of one process too.
#pragma once

#include "host/target/sql_connection.hpp"

#include <Poco/Data/Session.h>

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
  void exec_plain(const char* sql);

  std::string url_;
  std::string lock_path_;  // "" for :memory: (private: nothing to lock against)
  int lock_fd_ = -1;
  std::unique_ptr<Poco::Data::Session> session_;
  sqlite3* db_ = nullptr;  // owned by session_
};

}  // namespace sluice::host
