#include "query_request.hpp"

#include "sql_identifiers.hpp"

#include <cstdio>
#include <random>

namespace bigquery {

std::string select_statement(const TableId& table, const std::string& cursor_column, bool bounded) {
  std::string sql = "SELECT * FROM " + quote_table_path(table.project, table.dataset, table.table);
  if (cursor_column.empty()) return sql;
  const std::string cursor = quote_identifier(cursor_column, "cursor column");
  if (bounded) sql += " WHERE " + cursor + " >= @cursor";
  sql += " ORDER BY " + cursor;
  return sql;
}

json::object query_request(const std::string& sql, const std::optional<CursorBound>& bound,
                           const QueryOptions& options, const std::string& request_id) {
  json::object body{{"query", sql},
                    {"useLegacySql", false},
                    {"maxResults", options.page_size},
                    {"timeoutMs", options.wait_ms},
                    {"formatOptions", {{"useInt64Timestamp", true}}},
                    {"requestId", request_id}};
  if (!options.location.empty()) body["location"] = options.location;
  if (bound) {
    body["parameterMode"] = "NAMED";
    body["queryParameters"] = json::array{json::object{{"name", "cursor"},
                                                       {"parameterType", {{"type", bound->type}}},
                                                       {"parameterValue", {{"value", bound->value}}}}};
  }
  return body;
}

std::string random_request_id() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<uint64_t>(device()) << 32) ^ device());
  const uint64_t high = generator(), low = generator();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | (low >> 48 & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

}  // namespace bigquery
