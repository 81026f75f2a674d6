#include "host/serve/query_request.hpp"

#include "host/common/host_error.hpp"
#include "host/config/secrets.hpp"
#include "host/query/read_only_sql.hpp"
#include "host/query/statement_parameters.hpp"
#include "host/serve/api_types.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

[[noreturn]] void bad_field(const std::string& field, const std::string& what) {
  throw ApiError(400, "bad_request", field + ": " + what, {{field, what}});
}

// A whole number from 1 on, or nullopt when absent.
std::optional<uint64_t> whole(const json::object& body, const char* field) {
  const auto* value = body.if_contains(field);
  if (!value) return std::nullopt;
  if (value->is_uint64() && value->get_uint64() >= 1) return value->get_uint64();
  if (value->is_int64() && value->get_int64() >= 1) return static_cast<uint64_t>(value->get_int64());
  bad_field(field, "expected a whole number from 1 on");
}

// `asked`, or `cap` when absent; over the cap: 422 naming both.
uint64_t capped(const json::object& body, const char* field, uint64_t cap, const char* setting) {
  const auto asked = whole(body, field);
  if (!asked) return cap;
  if (*asked > cap) {
    const std::string what = std::to_string(*asked) + " is over this daemon's cap of " + std::to_string(cap) + " (" +
                             setting + ")";
    throw ApiError(422, "over_limit", std::string(field) + ": " + what, {{field, what}});
  }
  return *asked;
}

// The argument text of a typed value (`sluice query --param NAME:TYPE=TEXT`).
std::string value_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

// The type a plain JSON value stands for: a string, integer, number or boolean.
std::string type_of(const json::value& value) {
  if (value.is_bool()) return "boolean";
  if (value.is_int64() || value.is_uint64()) return "integer";
  if (value.is_double()) return "number";
  return "string";
}

}  // namespace

QueryPlan parse_query_body(const json::object& body, const QueryLimits& limits) {
  static const std::set<std::string> known = {"sql",           "parameters",      "limit_rows",      "limit_bytes",
                                              "timeout_seconds", "allow_truncated", "max_bytes_billed"};
  for (const auto& field : body) {
    if (!known.count(std::string(field.key()))) bad_field(std::string(field.key()), "unknown field");
  }
  QueryPlan plan;
  const auto* sql = body.if_contains("sql");
  if (!sql) bad_field("sql", "required");
  if (!sql->is_string() || sql->get_string().empty()) bad_field("sql", "expected a statement (a non-empty string)");
  plan.sql = std::string(sql->get_string());
  if (const auto* parameters = body.if_contains("parameters")) {
    if (!parameters->is_object()) bad_field("parameters", "expected an object: {\"name\": value, ...}");
    plan.parameters = parameters->get_object();
  }
  for (const auto& [key, given] : plan.parameters) {
    const std::string name(key);
    const std::string path = "parameters." + name;
    std::string type;
    json::value value;
    if (given.is_object()) {
      const auto& typed = given.get_object();
      const auto* t = typed.if_contains("type");
      const auto* v = typed.if_contains("value");
      if (!t || !t->is_string() || !v || typed.size() != 2) {
        bad_field(path, "expected a value, or {\"type\": TYPE, \"value\": VALUE}");
      }
      type = std::string(t->get_string());
      value = *v;
    } else {
      type = type_of(given);
      value = given;
    }
    try {
      plan.values.push_back(typed_query_parameter(name, type, value));
    } catch (const HostError& e) {
      throw ApiError(422, "invalid_parameters", e.what(), {{path, e.what()}});
    }
  }
  plan.limit_rows = capped(body, "limit_rows", limits.max_rows, "query.max_rows");
  plan.limit_bytes = capped(body, "limit_bytes", limits.max_bytes, "query.max_bytes");
  const uint64_t timeout = capped(body, "timeout_seconds", static_cast<uint64_t>(limits.max_timeout.count()),
                                  "query.max_timeout_seconds");
  plan.timeout = body.contains("timeout_seconds") ? std::chrono::seconds(timeout) : limits.default_timeout;
  if (const auto* allow = body.if_contains("allow_truncated")) {
    if (!allow->is_bool()) bad_field("allow_truncated", "expected true or false");
    plan.allow_truncated = allow->get_bool();
  }
  if (body.contains("max_bytes_billed") && !body.at("max_bytes_billed").is_null()) {
    plan.max_bytes_billed = limits.max_bytes_billed > 0 ? capped(body, "max_bytes_billed", limits.max_bytes_billed,
                                                                 "query.max_bytes_billed")
                                                        : *whole(body, "max_bytes_billed");
  } else if (limits.max_bytes_billed > 0) {
    plan.max_bytes_billed = limits.max_bytes_billed;
  }
  return plan;
}

void check_statement(const QueryPlan& plan, const std::string& dialect) {
  BoundStatement statement;
  try {
    const SqlLexicon& lexicon = sql_lexicon(dialect);
    check_read_only(plan.sql, lexicon);
    statement = bind_parameters(plan.sql, lexicon);
  } catch (const QueryRefused& e) {
    throw ApiError(422, "query_refused", std::string("sql: ") + e.what(), {{"sql", e.what()}});
  }
  try {
    parameters_in_bind_order(statement, plan.values);
  } catch (const HostError& e) {
    // The CLI's hint (" (--param day=VALUE)") names an option this API does not have.
    std::string message = e.what();
    if (auto hint = message.find(" (--param "); hint != std::string::npos) message.erase(hint);
    throw ApiError(422, "invalid_parameters", message);
  }
}

std::vector<std::string> child_query_args(const QueryPlan& plan) {
  std::vector<std::string> args = {"--format",      "ndjson", "--limit-rows", std::to_string(plan.limit_rows),
                                   "--limit-bytes", std::to_string(plan.limit_bytes),
                                   "--timeout",     std::to_string(plan.timeout.count())};
  if (plan.allow_truncated) args.push_back("--allow-truncated");
  if (plan.max_bytes_billed) {
    args.push_back("--max-bytes-billed");
    args.push_back(std::to_string(*plan.max_bytes_billed));
  }
  return args;
}

std::string child_query_request(const QueryPlan& plan, const std::string& connection_json) {
  json::array parameters;
  for (const auto& p : plan.values) parameters.push_back(json::object{{"name", p.name}, {"type", p.type}, {"value", p.value}});
  // The connection's text as it is, so its secrets are not copied into
  // another parsed document here.
  return "{\"connection\":" + connection_json + ",\"sql\":" + json::serialize(json::value(plan.sql)) +
         ",\"parameters\":" + json::serialize(parameters) + "}";
}

json::object masked_parameters(const json::object& parameters, const std::vector<std::string>& secrets) {
  auto secret = [&](const json::value& value) {
    if (value.is_object() || value.is_array() || value.is_null()) return false;
    return std::find(secrets.begin(), secrets.end(), value_text(value)) != secrets.end();
  };
  json::object out;
  for (const auto& [name, given] : parameters) {
    json::value copy = given;
    if (auto* typed = copy.if_object()) {
      if (auto* value = typed->if_contains("value"); value && secret(*value)) *value = kMask;
    } else if (secret(copy)) {
      copy = kMask;
    }
    out[name] = std::move(copy);
  }
  return out;
}

}  // namespace sluice::host::serve
