// The SQL API v2 calls the connector makes, over the SDK's HTTP client
// (retries with backoff and jitter on 429, 5xx and network failures; the
// key-pair JWT from the support library, sent with X-Snowflake-Authorization-
// Token-Type: KEYPAIR_JWT, or an OAuth token with OAUTH). A statement is
// submitted with a requestId (a retried submit is not run twice), polled
// while Snowflake answers 202 (code 333334), and cancelled when the read
// stops before it completes. Every refusal becomes a sluice::Error through
// api_error.hpp with Snowflake's code and message.
// https://docs.snowflake.com/en/developer-guide/sql-api/reference
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating
#pragma once

#include "column_type.hpp"
#include "statement.hpp"

#include "sql_common/statement_wait.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/http_client.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace snowflake {

struct Settings;

// A completed statement: its columns, how many partitions hold its rows,
// and partition 0's rows (sent with the answer).
struct ResultSet {
  std::string handle;
  std::vector<Column> columns;
  size_t partitions = 1;
  int64_t rows = -1;  // numRows, -1 when not sent
  json::array first;  // partition 0's data
};

class SnowflakeApi {
 public:
  // Throws sluice::Error(config) for a private key it cannot read.
  // `adjust` changes the HTTP options of every client (tests: a clock).
  SnowflakeApi(const Settings& settings, const sluice::Logger& log,
               std::function<void(sluice::support::HttpOptions&)> adjust = {});
  ~SnowflakeApi();
  SnowflakeApi(const SnowflakeApi&) = delete;
  SnowflakeApi& operator=(const SnowflakeApi&) = delete;

  // POST /api/v2/statements, then GET its status while it answers 202 (every
  // 100 ms at first, doubling up to 5 s: sql_common/statement_wait.hpp), at
  // most statement_timeout_seconds (and 30 s of grace for Snowflake's own
  // 408). A cancelled read, a timeout or a failed poll cancels the statement
  // (POST .../cancel, best effort) before throwing. `what` names it in errors.
  ResultSet execute(const Statement& statement, const std::string& what);
  // The same, waiting as `limit` says (a query's timeout and cancellation).
  ResultSet execute(const Statement& statement, const std::string& what, const sql_common::WaitLimit& limit);

  // Every row of a small result (discovery), partitions read one by one.
  json::array all_rows(const Statement& statement, const std::string& what, std::vector<Column>* columns = nullptr);

  // GET /api/v2/statements/{handle}?partition=N on `client` (a FetchPool
  // worker's): the partition's data (gzip is undone by the client).
  json::array fetch_partition(sluice::support::HttpClient& client, const std::string& handle, size_t index,
                              const std::string& what) const;
  // The same partition's answer as text (a 200 with a JSON body), to parse
  // where it is decoded.
  std::string fetch_partition_text(sluice::support::HttpClient& client, const std::string& handle, size_t index,
                                   const std::string& what) const;

  // POST /api/v2/statements/{handle}/cancel on a client that ignores the
  // read's cancellation (that is when it is sent), two attempts at most.
  void cancel(const std::string& handle);

  const sluice::Logger& log() const;

  // For a FetchPool: the options and credentials of this API's client, and a URL on its host.
  const sluice::support::HttpOptions& options() const;
  std::shared_ptr<sluice::support::AuthProvider> auth() const;
  std::string base_url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace snowflake
