#include "query.hpp"

#include "partition_decoder.hpp"
#include "row_decoder.hpp"

#include "sql_common/query.hpp"
#include "sql_common/statement_wait.hpp"

#include <sluice/support/fetcher.hpp>
#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <cstdlib>

namespace snowflake {

namespace {

using sql_common::RowShape;

// The offset written at the end of an RFC 3339 text, in minutes ("Z" and
// none: 0).
int64_t offset_minutes(std::string_view text) {
  const auto sign = text.find_first_of("+-", 19);
  if (sign == std::string_view::npos) return 0;
  const std::string_view zone = text.substr(sign + 1);
  const int64_t hours = std::atoi(std::string(zone.substr(0, 2)).c_str());
  const std::string_view rest = zone.size() > 2 ? zone.substr(zone[2] == ':' ? 3 : 2) : std::string_view();
  const int64_t minutes = hours * 60 + (rest.empty() ? 0 : std::atoi(std::string(rest).c_str()));
  return text[sign] == '-' ? -minutes : minutes;
}

}  // namespace

Binding query_binding(const sluice::QueryParameter& parameter) {
  const std::string text = sql_common::required_parameter_text(parameter);
  const std::string& type = parameter.type;
  if (type == "integer") return {"FIXED", text};
  if (type == "number") return {"REAL", text};
  if (type == "boolean") return {"BOOLEAN", text};
  if (type == "date") return {"DATE", std::to_string(sluice::support::parse_date(text)->micros / 1000)};
  if (type == "timestamp") {
    const int64_t micros = sluice::support::parse_rfc3339(text)->micros;
    return {"TIMESTAMP_TZ", std::to_string(micros) + "000 " + std::to_string(offset_minutes(text) + 1440)};
  }
  return {"TEXT", text};
}

Statement query_statement(const sluice::QueryRequest& request) {
  Statement statement;
  statement.sql = request.sql;
  for (const auto& parameter : request.parameters) statement.bindings.push_back(query_binding(parameter));
  // 0 would be Snowflake's maximum, 7 days: never what was asked.
  statement.timeout = std::chrono::seconds(std::clamp<int64_t>(request.timeout_seconds, 1, 604800));
  return statement;
}

void run_query(SnowflakeApi& api, const Settings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx) {
  const Statement statement = query_statement(request);
  const std::string what = "the query";
  ResultSet result = api.execute(
      statement, what, {statement.timeout, std::chrono::seconds(0), [&ctx] { return ctx.cancelled(); }, "its timeout"});
  ctx.facts = {{"statement_handle", result.handle}, {"rows", result.rows}};
  try {
    const std::vector<Column>& columns = result.columns;
    ctx.columns(sql_common::query_columns(columns, value_schema, [](const Column& c) { return c.type_name; }));
    sql_common::RowBatch first;
    decode_rows(result.first, columns, first.rows, RowShape::array);
    result.first = json::array();
    if (result.partitions <= 1) {
      sql_common::emit_query_rows(ctx, first.rows);
      return;
    }
    sluice::support::FetchPool pool(api.options(), api.auth(), api.base_url(), {settings.concurrency});
    sql_common::stream_query_chunks(
        pool, result.partitions,
        [&](sluice::support::HttpClient& client, size_t index) {
          if (index == 0) return std::move(first);
          return decode_partition_answer(api.fetch_partition_text(client, result.handle, index, what), columns,
                                         what + " (partition " + std::to_string(index) + ")", RowShape::array);
        },
        ctx);
  } catch (...) {
    // Cancelled (the host has what it wants), or a partition that failed:
    // the statement stops at the source too.
    sql_common::cancel_at_source(api.log(), result.handle, [&] { api.cancel(result.handle); });
    throw;
  }
}

}  // namespace snowflake
