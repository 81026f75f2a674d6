#include "api_error.hpp"

#include <boost/json.hpp>

namespace snowflake {

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

}  // namespace

ApiError parse_api_error(int status, std::string_view body) {
  ApiError error;
  error.status = status;
  boost::json::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return error;
  const auto& object = parsed.get_object();
  error.code = string_member(object, "code");
  error.sql_state = string_member(object, "sqlState");
  error.message = one_line(string_member(object, "message"));
  return error;
}

sluice::Error to_error(const ApiError& error, const std::string& what, const std::string& user, bool key_pair,
                       const std::string& timeout_name) {
  std::string said = "Snowflake";
  if (!error.code.empty()) said += " error " + error.code;
  if (!error.sql_state.empty()) said += " (" + error.sql_state + ")";
  said += error.message.empty() ? std::string(" (HTTP ") + std::to_string(error.status) + ")" : ": " + error.message;
  switch (error.status) {
    case 401:
      return sluice::Error(sluice::ErrorKind::auth,
                           "Snowflake refused the credentials of user " + user + " for " + what + ": " + said +
                               (key_pair ? "; check the account identifier, the user name and that the user's "
                                           "RSA_PUBLIC_KEY is the public key of this private key (DESC USER shows "
                                           "its RSA_PUBLIC_KEY_FP)"
                                         : "; the OAuth token is invalid or expired"));
    case 403:
      return sluice::Error(sluice::ErrorKind::auth, what + " is forbidden for user " + user + ": " + said);
    case 408:
      return sluice::Error(sluice::ErrorKind::transient,
                           what + " ran past " + timeout_name + " and was cancelled: " + said);
    case 422: {
      // 000710: the result expired (Snowflake keeps one 24 hours) before
      // all its partitions were read. Nothing is wrong with the config and
      // the next sync runs the statement again, so: transient.
      if (error.code == "000710") {
        return sluice::Error(sluice::ErrorKind::transient,
                             what + " failed: " + said + "; the next sync runs the statement again");
      }
      // 002003: "does not exist or not authorized": a name or a privilege to fix.
      // SQL state class 42: the statement does not compile (syntax, a bind
      // variable not set): the statement is the user's to fix.
      const bool config = error.code == "002003" || error.code == "002043" || error.sql_state.rfind("42", 0) == 0;
      return sluice::Error(config ? sluice::ErrorKind::config : sluice::ErrorKind::source, what + " failed: " + said);
    }
    default: return sluice::Error(sluice::ErrorKind::source, what + " failed: " + said);
  }
}

}  // namespace snowflake
