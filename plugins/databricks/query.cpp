#include "query.hpp"

#include "result_chunks.hpp"

#include "sql_common/query.hpp"
#include "sql_common/statement_wait.hpp"

#include <sluice/support/fetcher.hpp>

#include <algorithm>

namespace databricks {

Parameter query_parameter(const sluice::QueryParameter& parameter) {
  std::string text = sql_common::required_parameter_text(parameter);
  const std::string& type = parameter.type;
  const char* sql_type = type == "integer"     ? "BIGINT"
                         : type == "number"    ? "DOUBLE"
                         : type == "boolean"   ? "BOOLEAN"
                         : type == "date"      ? "DATE"
                         : type == "timestamp" ? "TIMESTAMP"
                                               : "STRING";
  return {parameter.name, sql_type, std::move(text)};
}

Statement query_statement(const sluice::QueryRequest& request) {
  Statement statement;
  statement.sql = request.sql;
  statement.disposition = Disposition::external_links;
  for (const auto& parameter : request.parameters) statement.parameters.push_back(query_parameter(parameter));
  const int64_t timeout = std::max<int64_t>(request.timeout_seconds, 1);
  statement.wait_timeout = std::chrono::seconds(timeout < 5 ? 0 : std::min<int64_t>(timeout, 50));
  return statement;
}

void run_query(DatabricksApi& api, const Settings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx) {
  const Statement statement = query_statement(request);
  const std::string what = "the query";
  const std::chrono::seconds timeout(std::max<int64_t>(request.timeout_seconds, 1));
  const StatementResult result =
      api.execute(statement, what, {timeout, std::chrono::seconds(0), [&ctx] { return ctx.cancelled(); }, "its timeout"});
  ctx.facts = {{"statement_id", result.statement_id}, {"rows", result.total_rows}};
  try {
    ctx.columns(sql_common::query_columns(result.columns, value_schema, [](const Column& c) { return c.type_text; }));
    if (result.chunks.empty()) return;  // SUCCEEDED with no rows
    sluice::support::FetchPool pool(api.options(), api.auth(), api.base_url(), {settings.concurrency});
    sql_common::stream_query_chunks(
        pool, result.chunks.size(),
        [&](sluice::support::HttpClient& client, size_t index) {
          // Chunk 0's links (or rows) came with the answer.
          const json::object* given = index == 0 && !result.first.empty() ? &result.first : nullptr;
          return read_chunk(api, client, result, index, given, what, sql_common::RowShape::array);
        },
        ctx);
  } catch (...) {
    // Cancelled (the host has what it wants), or a chunk that failed: the
    // statement stops at the source too.
    sql_common::cancel_at_source(api.log(), result.statement_id, [&] { api.cancel(result.statement_id); });
    throw;
  }
}

}  // namespace databricks
