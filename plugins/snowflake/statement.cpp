#include "statement.hpp"

namespace snowflake {

json::object statement_body(const Statement& statement, const Settings& settings) {
  json::object body{{"statement", statement.sql},
                    {"timeout", (statement.timeout.count() > 0 ? statement.timeout : settings.statement_timeout).count()},
                    {"database", settings.database}};
  if (!statement.schema.empty()) body["schema"] = statement.schema;
  if (!settings.warehouse.empty()) body["warehouse"] = settings.warehouse;
  if (!settings.role.empty()) body["role"] = settings.role;
  if (!statement.bindings.empty()) {
    json::object bindings;
    for (size_t i = 0; i < statement.bindings.size(); ++i) {
      bindings[std::to_string(i + 1)] =
          json::object{{"type", statement.bindings[i].type}, {"value", statement.bindings[i].value}};
    }
    body["bindings"] = std::move(bindings);
  }
  // UTC so that nothing the session computes depends on the user's default
  // zone (values themselves travel as epoch numbers, zone-free).
  json::object parameters{{"timezone", "UTC"}};
  if (!settings.query_tag.empty()) parameters["query_tag"] = settings.query_tag;
  body["parameters"] = std::move(parameters);
  return body;
}

}  // namespace snowflake
