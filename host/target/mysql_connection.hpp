// A MySQL/MariaDB connection opened through Poco::Data, with the raw client
// handle of that same session for what Poco's connector does slowly (multi-
// row inserts) or awkwardly (statements whose row count or text result we
// need): one connection, so rows and state share one transaction. Bound
// values are rendered as literals escaped for the connection's character
// set. Run locks are GET_LOCK locks, released when the session ends.
#pragma once

#include "host/target/sql_connection.hpp"
#include "host/target/target_url.hpp"

#include <Poco/Data/Session.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct st_mysql;

namespace sluice::host {

using MysqlRows = SqlRows;

class MysqlConnection : public SqlConnection {
 public:
  // Throws ConfigError for a URL Poco cannot carry, TargetError with the
  // masked URL and the server's reason when the connection fails.
  explicit MysqlConnection(const TargetUrl& url);

  // Runs one statement; returns its rows (none for a statement without a
  // result). Throws TargetError with the server's message on one line;
  // `show_sql` adds the statement's start to it (never for data inserts).
  MysqlRows exec(const std::string& sql, std::vector<std::string>* column_names = nullptr, bool show_sql = true);
  // Runs LOAD DATA LOCAL INFILE `load_sql` with `data` as the file's
  // content, streamed from memory on this connection (the file name in the
  // statement is ignored). Throws TargetError if the server reports any
  // warning: with LOCAL it turns conversion errors into warnings.
  void load_data(const std::string& load_sql, std::string_view data);
  // Whether the server accepts LOAD DATA LOCAL (local_infile=ON).
  bool local_infile_enabled() const { return local_infile_; }

  // Rows changed by the last statement.
  uint64_t affected_rows() const;

  // 'text' as a quoted string literal for this connection's character set.
  std::string literal(std::string_view text) const;
  void append_literal(std::string& out, std::string_view text) const;
  // `identifier` quoted with backticks.
  static std::string quote(const std::string& identifier);

  std::string display_url() const override { return masked_url_; }
  std::string default_schema() const override { return database_; }
  SqlRows query(const Sql& sql, std::vector<std::string>* column_names = nullptr) override;
  uint64_t execute(const Sql& sql) override;
  std::unique_ptr<TableWriter> writer(const WriteSpec& spec) override;
  bool try_lock(const std::string& key) override;
  void unlock(const std::string& key) override;

 private:
  // The statement with its values as literals.
  std::string render(const Sql& sql) const;

  std::string masked_url_;
  std::string password_;
  std::string database_;
  std::unique_ptr<Poco::Data::Session> session_;
  st_mysql* mysql_ = nullptr;  // owned by session_
  bool local_infile_ = false;
};

}  // namespace sluice::host
