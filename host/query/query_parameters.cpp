#include "host/query/query_parameters.hpp"

#include "host/common/host_error.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sluice::host {

namespace {

namespace json = boost::json;

constexpr std::string_view kTypes = "string, integer, number, boolean, date or timestamp";

[[noreturn]] void refuse(const std::string& line) { throw HostError(Failure::usage, line); }

bool valid_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// The typed value of `text`, or a refusal naming the parameter.
json::value typed_text(const std::string& name, const std::string& type, const std::string& text) {
  auto wrong = [&](std::string_view expected) -> json::value {
    refuse("parameter " + name + ": \"" + text + "\" is not " + std::string(expected));
  };
  if (type == "string") return json::value(text);
  if (type == "integer") {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return wrong("an integer (64-bit)");
    return json::value(value);
  }
  if (type == "number") {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value) ||
        std::isspace(static_cast<unsigned char>(text[0]))) {
      return wrong("a finite number");
    }
    return json::value(value);
  }
  if (type == "boolean") {
    if (text == "true") return json::value(true);
    if (text == "false") return json::value(false);
    return wrong("true or false");
  }
  if (type == "date") {
    if (!support::parse_date(text)) return wrong("a date (YYYY-MM-DD)");
    return json::value(text);
  }
  if (type == "timestamp") {
    auto instant = support::parse_rfc3339(text);
    if (!instant) return wrong("an RFC 3339 timestamp (2026-11-30T00:00:00Z)");
    return json::value(support::format_rfc3339(*instant));
  }
  refuse("parameter " + name + ": unknown type \"" + type + "\" (" + std::string(kTypes) + ")");
}

}  // namespace

QueryParameterValue parse_query_parameter(std::string_view argument) {
  const size_t equals = argument.find('=');
  if (equals == std::string_view::npos) {
    refuse("--param " + std::string(argument) + ": expected name=value or name:type=value");
  }
  std::string_view key = argument.substr(0, equals);
  std::string type = "string";
  if (const size_t colon = key.find(':'); colon != std::string_view::npos) {
    type = std::string(key.substr(colon + 1));
    key = key.substr(0, colon);
  }
  const std::string name(key);
  if (!valid_name(name)) {
    refuse("--param " + std::string(argument) + ": a parameter name is letters, digits and _, as in :name");
  }
  return {name, type, typed_text(name, type, std::string(argument.substr(equals + 1)))};
}

QueryParameterValue typed_query_parameter(const std::string& name, const std::string& type,
                                          const json::value& value) {
  if (!valid_name(name)) refuse("parameter \"" + name + "\": a parameter name is letters, digits and _");
  std::string text;
  if (value.is_string()) text = std::string(value.get_string());
  else if (value.is_bool()) text = value.get_bool() ? "true" : "false";
  else if (value.is_number()) text = json::serialize(value);
  else refuse("parameter " + name + ": the value must be a string, number or boolean");
  return {name, type, typed_text(name, type, text)};
}

json::array parameters_in_bind_order(const BoundStatement& statement, const std::vector<QueryParameterValue>& given) {
  for (size_t i = 0; i < given.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (given[j].name == given[i].name) refuse("parameter " + given[i].name + " is given twice");
    }
    if (std::find(statement.names.begin(), statement.names.end(), given[i].name) == statement.names.end()) {
      std::string used;
      for (const auto& name : statement.names) used += (used.empty() ? ":" : ", :") + name;
      refuse("parameter " + given[i].name + " is not used by the statement (" +
             (used.empty() ? std::string("it has no :name parameters") : "it uses " + used) + ")");
    }
  }
  json::array out;
  for (const std::string& name : statement.order) {
    auto found = std::find_if(given.begin(), given.end(), [&](const auto& p) { return p.name == name; });
    if (found == given.end()) {
      refuse("the statement uses :" + name + " but no value was given (--param " + name + "=VALUE)");
    }
    out.push_back(json::object{{"name", name}, {"type", found->type}, {"value", found->value}});
  }
  return out;
}

}  // namespace sluice::host
