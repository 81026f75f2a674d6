// The workspace calls the connector makes, over the SDK's HTTP client
// (retries with backoff and jitter on 429 with Retry-After, 503 and network
// failures), authenticated with a personal access token or a service
// principal's OAuth M2M token (from {base_url}/oidc/v1/token, cached for its
// hour). A statement is submitted with wait_timeout and on_wait_timeout
// CONTINUE, then polled while PENDING or RUNNING, and cancelled (POST
// .../cancel) when the read stops before it ends. Every refusal becomes a
// sluice::Error through api_error.hpp in Databricks' words.
// https://docs.databricks.com/api/workspace/statementexecution
// https://docs.databricks.com/api/workspace/tables/list
// https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
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

namespace databricks {

struct Settings;

// manifest.chunks[i]: where chunk i's rows lie in the result (-1: not listed).
struct ChunkInfo {
  int64_t row_offset = -1, row_count = -1, byte_count = -1;
};

// A SUCCEEDED statement: its columns, its chunks, and chunk 0's ResultData
// (rows for INLINE, external links for EXTERNAL_LINKS) sent with the answer.
struct StatementResult {
  std::string statement_id;
  std::vector<Column> columns;
  std::vector<ChunkInfo> chunks;  // total_chunk_count entries (0: no rows)
  int64_t total_rows = -1;
  json::object first;
};

class DatabricksApi {
 public:
  // `adjust` changes the HTTP options of every client (tests: a clock).
  DatabricksApi(const Settings& settings, const sluice::Logger& log,
                std::function<void(sluice::support::HttpOptions&)> adjust = {});
  ~DatabricksApi();
  DatabricksApi(const DatabricksApi&) = delete;
  DatabricksApi& operator=(const DatabricksApi&) = delete;

  // POST /api/2.0/sql/statements, then GET /api/2.0/sql/statements/{id} while
  // it is PENDING or RUNNING (every 100 ms at first, doubling up to 5 s:
  // sql_common/statement_wait.hpp), at most statement_timeout_seconds. FAILED, CANCELED and CLOSED throw with
  // Databricks' error_code and message; a truncated result throws (rows
  // would be missing). A cancelled read, a timeout or a failed poll cancels
  // the statement first. `what` names it in errors.
  StatementResult execute(const Statement& statement, const std::string& what);
  // The same, waiting as `limit` says (a query's timeout and cancellation).
  StatementResult execute(const Statement& statement, const std::string& what, const sql_common::WaitLimit& limit);

  // Every row of a small INLINE result (the check), its chunks followed one
  // by one: through next_chunk_internal_link (an opaque path on the
  // workspace host; one that is not such a path is refused), else
  // next_chunk_index. Rows as sent.
  json::array all_rows(const Statement& statement, const std::string& what);

  // GET /api/2.0/sql/statements/{id}/result/chunks/{index} on `client` (a
  // FetchPool worker's): the chunk's ResultData, with fresh external links.
  json::object chunk(sluice::support::HttpClient& client, const std::string& statement_id, size_t index,
                     const std::string& what) const;

  // POST /api/2.0/sql/statements/{id}/cancel on a client that ignores the
  // read's cancellation (that is when it is sent), two attempts at most.
  void cancel(const std::string& statement_id);

  const sluice::Logger& log() const;

  // GET {base_url}{path_and_query} (Unity Catalog), parsed.
  json::object get(const std::string& path_and_query, const std::string& what);

  // For a FetchPool: the options and credentials of this API's client, and a URL on its host.
  const sluice::support::HttpOptions& options() const;
  std::shared_ptr<sluice::support::AuthProvider> auth() const;
  std::string base_url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The string member `key` of `object`, "" when absent.
std::string string_member(const json::object& object, const char* key);

}  // namespace databricks
