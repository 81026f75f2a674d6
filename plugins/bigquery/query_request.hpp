// The jobs.query request a stream read sends: standard SQL over one table,
// optionally bounded through typed named parameters.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest
#pragma once

#include <sluice/support/http_client.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bigquery {

namespace json = boost::json;

struct TableId {
  std::string project;
  std::string dataset;
  std::string table;
};

// SELECT * FROM `p`.`d`.`t` [WHERE condition] [ORDER BY `c1`, `c2`...]: the
// condition as given (cursor.hpp renders it), each ORDER BY column quoted.
std::string select_statement(const TableId& table, const std::string& condition,
                             const std::vector<std::string>& order_by);

// A typed named parameter (@name), in the REST API's QueryParameter form.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/QueryParameter
struct QueryParameter {
  std::string name;
  std::string type;   // QueryParameterType.type: INT64, TIMESTAMP, ...
  std::string value;  // QueryParameterValue.value
};

struct QueryOptions {
  std::string location;  // empty: not sent (BigQuery infers it from the table)
  int64_t page_size = 10000;
  // How long one call may wait on the server for the job (timeoutMs): short,
  // so a cancelled read is never stuck in a call for more than about a second.
  int64_t wait_ms = 1000;
  std::chrono::seconds job_timeout{3600};  // job_timeout_seconds: then jobs.cancel
  size_t concurrency = 16;                 // result pages fetched at once (concurrency)
};

// The QueryRequest body: useLegacySql false, int64 timestamps, a requestId so
// a retried POST does not start a second job, NAMED parameters when any.
json::object query_request(const std::string& sql, const std::vector<QueryParameter>& parameters,
                           const QueryOptions& options, const std::string& request_id);

// queryParameters: [{"name", "parameterType": {"type"}, "parameterValue": {"value"}}, ...].
json::array query_parameters_json(const std::vector<QueryParameter>& parameters);

using sluice::support::random_request_id;  // the requestId of a statement/query

}  // namespace bigquery
