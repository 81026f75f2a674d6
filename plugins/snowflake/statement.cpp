#include "statement.hpp"

#include <cstdio>
#include <random>

namespace snowflake {

json::object statement_body(const Statement& statement, const Settings& settings) {
  json::object body{{"statement", statement.sql},
                    {"timeout", settings.statement_timeout.count()},
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

std::string random_request_id() {
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  const uint64_t high = generator(), low = generator();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | (low >> 48 & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

}  // namespace snowflake
