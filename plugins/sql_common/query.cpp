#include "sql_common/query.hpp"

#include <sluice/support/timestamp.hpp>

#include <charconv>

namespace sql_common {

std::string parameter_text(const sluice::QueryParameter& parameter) {
  const boost::json::value& value = parameter.value;
  auto refuse = [&](const std::string& why) -> sluice::Error {
    return sluice::Error(sluice::ErrorKind::config, "parameter " + parameter.name + ": " + why);
  };
  const std::string& type = parameter.type;
  if (type == "integer") {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    throw refuse("an integer needs an integer value");
  }
  if (type == "number") {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (!value.is_double() || value.get_double() - value.get_double() != 0) throw refuse("a number needs a finite number");
    char text[64];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value.get_double());
    return std::string(text, end);
  }
  if (type == "boolean") {
    if (!value.is_bool()) throw refuse("a boolean needs true or false");
    return value.get_bool() ? "true" : "false";
  }
  if (type != "string" && type != "date" && type != "timestamp") {
    throw refuse("unknown type \"" + type + "\" (string, integer, number, boolean, date or timestamp)");
  }
  if (!value.is_string()) throw refuse("a " + type + " needs a text value");
  std::string text(value.get_string());
  if (type == "date" && (text.size() != 10 || !sluice::support::parse_date(text))) {
    throw refuse("\"" + text + "\" is not a date (YYYY-MM-DD)");
  }
  if (type == "timestamp" && !sluice::support::parse_rfc3339(text)) {
    throw refuse("\"" + text + "\" is not an RFC 3339 timestamp (2026-11-30T00:00:00Z)");
  }
  return text;
}

void emit_query_rows(sluice::QueryContext& ctx, const DecodedRows& rows) {
  for (size_t i = 0; i < rows.size(); ++i) ctx.row_serialized(rows.record(i));
}

void stream_query_chunks(sluice::support::FetchPool& pool, size_t chunks,
                         const std::function<RowBatch(sluice::support::HttpClient&, size_t)>& fetch,
                         sluice::QueryContext& ctx) {
  sluice::support::fetch_in_order<RowBatch>(pool, 0, chunks, fetch, [&](size_t, RowBatch& batch) {
    emit_query_rows(ctx, batch.rows);
    batch.rows = {};  // its memory goes now, not when the next chunk arrives
    return true;
  });
}

}  // namespace sql_common
