#include "query_request.hpp"

#include "sql_identifiers.hpp"


namespace bigquery {

std::string select_statement(const TableId& table, const std::string& condition,
                             const std::vector<std::string>& order_by) {
  std::string sql = "SELECT * FROM " + quote_table_path(table.project, table.dataset, table.table);
  if (!condition.empty()) sql += " WHERE " + condition;
  for (size_t i = 0; i < order_by.size(); ++i) {
    sql += (i == 0 ? " ORDER BY " : ", ") + quote_identifier(order_by[i], "column");
  }
  return sql;
}

json::object query_request(const std::string& sql, const std::vector<QueryParameter>& parameters,
                           const QueryOptions& options, const std::string& request_id) {
  json::object body{{"query", sql},
                    {"useLegacySql", false},
                    {"maxResults", options.page_size},
                    {"timeoutMs", options.wait_ms},
                    {"formatOptions", {{"useInt64Timestamp", true}}},
                    {"requestId", request_id}};
  if (!options.location.empty()) body["location"] = options.location;
  if (parameters.empty()) return body;
  body["parameterMode"] = "NAMED";
  body["queryParameters"] = query_parameters_json(parameters);
  return body;
}

json::array query_parameters_json(const std::vector<QueryParameter>& parameters) {
  json::array list;
  for (const auto& parameter : parameters) {
    list.push_back(json::object{{"name", parameter.name},
                                {"parameterType", {{"type", parameter.type}}},
                                {"parameterValue", {{"value", parameter.value}}}});
  }
  return list;
}


}  // namespace bigquery
