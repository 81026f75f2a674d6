// A PostgreSQL connection opened through Poco::Data, with the raw libpq
// handle of that same session for what Poco's connector does slowly or not
// at all (COPY, statements with text parameters and their row counts): one
// connection, so the rows, the COPY and the state share one transaction.
// Run locks are session-level advisory locks (pg_try_advisory_lock).
#pragma once

#include "host/common/host_error.hpp"
#include "host/target/sql_connection.hpp"
#include "host/target/target_url.hpp"

#include <Poco/Data/Session.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace sluice::host {

using PgRows = SqlRows;
class TargetError;

class PostgresConnection : public SqlConnection {
 public:
  // Throws TargetError with the masked URL and libpq's reason.
  explicit PostgresConnection(const TargetUrl& url);

  // Runs one statement with text parameters ($1, $2, ...). Throws
  // TargetError with the server's message on one line.
  PgRows exec(const std::string& sql, const std::vector<std::string>& params = {},
              std::vector<std::string>* column_names = nullptr, uint64_t* changed = nullptr);
  // COPY ... FROM STDIN with `data` in text format. Returns false, instead
  // of throwing, when the COPY failed on a unique key and
  // `tolerate_duplicate_key` is set (the transaction is then aborted: the
  // caller rolls back to a savepoint).
  bool copy_in(const std::string& copy_sql, const std::string& data, bool tolerate_duplicate_key = false);

  static std::string quote(const std::string& identifier);

  std::string display_url() const override { return masked_url_; }
  std::string default_schema() const override { return "public"; }
  SqlRows query(const Sql& sql, std::vector<std::string>* column_names = nullptr) override;
  uint64_t execute(const Sql& sql) override;
  std::unique_ptr<TableWriter> writer(const WriteSpec& spec) override;
  bool try_lock(const std::string& key) override;
  void unlock(const std::string& key) override;

 private:
  // The error for a failed call, on one line: "lost the connection to URL:
  // WHAT MESSAGE" when the connection is gone, else "postgresql: WHAT
  // MESSAGE CONTEXT". `message` is libpq's or the server's text.
  TargetError failure(const std::string& what, const std::string& message, const std::string& context = "") const;

  std::string masked_url_;
  std::string password_;  // only to scrub it from messages
  std::unique_ptr<Poco::Data::Session> session_;
  pg_conn* conn_ = nullptr;  // owned by session_
};

}  // namespace sluice::host
