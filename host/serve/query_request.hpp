// The body of POST /v1/connections/{id}/query, read and checked before any
// child runs (docs/daemon.md, "Query endpoint"):
//   {"sql": "SELECT ... WHERE day >= :from",
//    "parameters": {"from": {"type": "date", "value": "2026-11-01"}, "min": 10},
//    "limit_rows": 1000, "limit_bytes": 1048576, "timeout_seconds": 30,
//    "allow_truncated": false, "max_bytes_billed": 10000000000}
// Only "sql" is required; a limit left out is the daemon's cap (serve.json
// "query"), a timeout left out its default. The statement and parameters
// are checked by host/query (check_read_only, bind_parameters,
// parameters_in_bind_order): the same code `sluice query` runs, which the
// child then runs again.
#pragma once

#include "host/query/query_parameters.hpp"
#include "host/serve/serve_config.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host::serve {

struct QueryPlan {
  std::string sql;                                 // as sent
  boost::json::object parameters;                  // as sent (for the audit, masked there)
  std::vector<QueryParameterValue> values;         // typed (query_parameters.hpp)
  uint64_t limit_rows = 0;
  uint64_t limit_bytes = 0;
  std::chrono::seconds timeout{60};
  bool allow_truncated = false;
  std::optional<uint64_t> max_bytes_billed;
};

// Reads `body` under `limits`. Throws ApiError: 400 bad_request for a
// missing "sql", an unknown field or one of the wrong type; 422
// over_limit naming the field and the cap ("limit_rows: 200000 is over
// this daemon's cap of 100000 (query.max_rows)"); 422 invalid_parameters
// for a parameter value that is not of its type.
QueryPlan parse_query_body(const boost::json::object& body, const QueryLimits& limits);

// Checks the statement in `dialect` and its parameters against it. Throws
// ApiError 422 query_refused (not one read-only statement, or the source's
// own placeholders) or invalid_parameters (one missing, unused or given twice).
void check_statement(const QueryPlan& plan, const std::string& dialect);

// The child's arguments after "query --request -": --format ndjson, the
// limits and --timeout. Nothing of the statement: it goes on stdin.
std::vector<std::string> child_query_args(const QueryPlan& plan);

// The child's standard input: `sluice query --request -`'s document, the
// connection (its JSON text, secrets in clear), the statement and its
// typed parameters. Never an argument: the host's process list shows every
// process's arguments.
std::string child_query_request(const QueryPlan& plan, const std::string& connection_json);

// `parameters` for the record: each value that equals one of `secrets`
// (the connection's, per its plugin's schema) reads "********".
boost::json::object masked_parameters(const boost::json::object& parameters, const std::vector<std::string>& secrets);

}  // namespace sluice::host::serve
