// The jobs.query request a stream read sends: standard SQL over one table,
// optionally bounded by the cursor through a named parameter.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest
#pragma once

#include "cursor.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bigquery {

struct TableId {
  std::string project;
  std::string dataset;
  std::string table;
};

// SELECT * FROM `p`.`d`.`t` [WHERE `c` >= @cursor] [ORDER BY `c`]: the
// WHERE only with a bound, the ORDER BY whenever there is a cursor column.
std::string select_statement(const TableId& table, const std::string& cursor_column, bool bounded);

struct QueryOptions {
  std::string location;  // empty: not sent (BigQuery infers it from the table)
  int64_t page_size = 10000;
  int64_t wait_ms = 10000;  // how long one call may wait for the job (timeoutMs)
};

// The QueryRequest body: useLegacySql false, int64 timestamps, a requestId so
// a retried POST does not start a second job.
json::object query_request(const std::string& sql, const std::optional<CursorBound>& bound,
                           const QueryOptions& options, const std::string& request_id);

// A random RFC 4122 version-4 UUID.
std::string random_request_id();

}  // namespace bigquery
