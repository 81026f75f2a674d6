#include "api_error.hpp"

#include <boost/json.hpp>

namespace databricks {

namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string string_member(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::string said(const ApiError& error) {
  std::string out = "Databricks";
  if (!error.error_code.empty()) out += " error " + error.error_code;
  if (!error.sql_state.empty()) out += " (" + error.sql_state + ")";
  out += error.message.empty() ? " (HTTP " + std::to_string(error.status) + ")" : ": " + error.message;
  return out;
}

}  // namespace

ApiError parse_api_error(int status, std::string_view body) {
  ApiError error;
  error.status = status;
  boost::json::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return error;
  const auto& object = parsed.get_object();
  error.error_code = string_member(object, "error_code");
  error.message = one_line(string_member(object, "message"));
  return error;
}

sluice::Error to_error(const ApiError& error, const std::string& what, const std::string& how) {
  switch (error.status) {
    case 401:
      return sluice::Error(sluice::ErrorKind::auth, "Databricks refused the credentials (" + how + ") for " + what +
                                                        ": " + said(error) +
                                                        "; the token may be wrong, expired or revoked");
    case 403:
      return sluice::Error(sluice::ErrorKind::auth,
                           what + " is forbidden: " + said(error) +
                               "; the reader needs USE CATALOG on the catalog, USE SCHEMA on the schemas and SELECT on "
                               "the tables, and CAN USE on the SQL warehouse");
    case 400:
    case 404: return sluice::Error(sluice::ErrorKind::config, what + " failed: " + said(error));
    default: return sluice::Error(sluice::ErrorKind::source, what + " failed: " + said(error));
  }
}

sluice::Error failed_statement_error(const ApiError& error, const std::string& what) {
  if (error.error_code == "DEADLINE_EXCEEDED") {
    return sluice::Error(sluice::ErrorKind::transient,
                         what + " ran past the SQL warehouse's STATEMENT_TIMEOUT and was stopped: " + said(error));
  }
  const std::string& m = error.message;
  // SQL state class 42 (syntax, a missing table or privilege, an unbound
  // parameter): the statement is the user's to fix.
  const bool config = error.sql_state.rfind("42", 0) == 0 || m.find("_NOT_FOUND]") != std::string::npos ||
                      m.find("INSUFFICIENT_PERMISSIONS") != std::string::npos;
  return sluice::Error(config ? sluice::ErrorKind::config : sluice::ErrorKind::source, what + " failed: " + said(error));
}

}  // namespace databricks
