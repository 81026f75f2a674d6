#include "statement.hpp"

namespace databricks {

json::object statement_body(const Statement& statement, const Settings& settings) {
  json::object body{{"statement", statement.sql},
                    {"warehouse_id", settings.warehouse_id},
                    {"catalog", settings.catalog}};
  if (!statement.schema.empty()) body["schema"] = statement.schema;
  if (!statement.parameters.empty()) {
    json::array parameters;
    for (const auto& parameter : statement.parameters) {
      json::object item{{"name", parameter.name}, {"type", parameter.type}};
      if (parameter.value) item["value"] = *parameter.value;  // left out: NULL
      parameters.push_back(std::move(item));
    }
    body["parameters"] = std::move(parameters);
  }
  body["wait_timeout"] = std::to_string(statement.wait_timeout.value_or(settings.wait_timeout).count()) + "s";
  body["on_wait_timeout"] = "CONTINUE";
  body["disposition"] = statement.disposition == Disposition::external_links ? "EXTERNAL_LINKS" : "INLINE";
  body["format"] = "JSON_ARRAY";
  return body;
}

}  // namespace databricks
