#include "sql_common/query_result.hpp"

#include "sql_common/identifiers.hpp"

#include <sluice/support/timestamp.hpp>

#include <charconv>

namespace sql_common {

namespace {

[[noreturn]] void refuse(const sluice::QueryParameter& parameter, const std::string& wants) {
  throw sluice::Error(sluice::ErrorKind::config,
                      "parameter " + printable(parameter.name) + ": " + parameter.type + " wants " + wants);
}

}  // namespace

void unknown_parameter_type(const sluice::QueryParameter& parameter) {
  throw sluice::Error(sluice::ErrorKind::config, "parameter " + printable(parameter.name) + ": unknown type " +
                                                     printable(parameter.type) +
                                                     " (string, integer, number, boolean, date or timestamp)");
}

std::optional<int64_t> integer_parameter(const sluice::QueryParameter& parameter) {
  if (parameter.value.is_null()) return std::nullopt;
  if (parameter.value.is_int64()) return parameter.value.get_int64();
  refuse(parameter, "a whole number within 64 bits");
}

std::optional<double> number_parameter(const sluice::QueryParameter& parameter) {
  if (parameter.value.is_null()) return std::nullopt;
  if (parameter.value.is_double()) return parameter.value.get_double();
  if (parameter.value.is_int64()) return static_cast<double>(parameter.value.get_int64());
  refuse(parameter, "a number");
}

std::optional<bool> boolean_parameter(const sluice::QueryParameter& parameter) {
  if (parameter.value.is_null()) return std::nullopt;
  if (parameter.value.is_bool()) return parameter.value.get_bool();
  refuse(parameter, "true or false");
}

std::optional<std::string> text_parameter(const sluice::QueryParameter& parameter) {
  if (parameter.value.is_null()) return std::nullopt;
  if (!parameter.value.is_string()) refuse(parameter, "text");
  std::string text(parameter.value.get_string());
  if (parameter.type == "date" && !sluice::support::parse_date(text)) refuse(parameter, "a day, YYYY-MM-DD");
  if (parameter.type == "timestamp" && !sluice::support::parse_rfc3339(text)) {
    refuse(parameter, "an RFC 3339 date-time, YYYY-MM-DDTHH:MM:SS[.ffffff]Z");
  }
  return text;
}

std::optional<std::string> parameter_text(const sluice::QueryParameter& parameter) {
  const std::string& type = parameter.type;
  if (type == "integer") {
    const auto value = integer_parameter(parameter);
    return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
  }
  if (type == "number") {
    const auto value = number_parameter(parameter);
    if (!value) return std::nullopt;
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, *value).ptr;  // shortest round trip
    return std::string(buffer, end);
  }
  if (type == "boolean") {
    const auto value = boolean_parameter(parameter);
    return value ? std::optional<std::string>(*value ? "true" : "false") : std::nullopt;
  }
  if (type == "string" || type == "date" || type == "timestamp") return text_parameter(parameter);
  unknown_parameter_type(parameter);
}

std::string required_parameter_text(const sluice::QueryParameter& parameter) {
  auto text = parameter_text(parameter);
  if (!text) throw sluice::Error(sluice::ErrorKind::config, "parameter " + parameter.name + ": a value is needed, not null");
  return *text;
}

}  // namespace sql_common
