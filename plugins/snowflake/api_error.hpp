// Snowflake's refusals and what each means for a sync. Bodies are
// QueryFailureStatus / QueryStatus: {"code", "sqlState", "message",
// "statementHandle"}; a 422 is a statement that failed (compilation, a
// missing object or privilege), a 401 a token Snowflake did not accept.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-errors
// https://docs.snowflake.com/en/developer-guide/sql-api/reference (response codes)
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <string_view>

namespace snowflake {

struct ApiError {
  int status = 0;
  std::string code;      // Snowflake's error code, e.g. "002003"
  std::string sql_state;
  std::string message;   // on one line
};

// Reads the error body; a foreign body (a proxy's bare 502) leaves the fields empty.
ApiError parse_api_error(int status, std::string_view body);

// The sluice::Error for a failed call `what` ("the statement on RAW.ORDERS"):
// 422 -> "Snowflake error 002003 (42S02): <message>" (config when an object
// is missing or not authorized, or the statement does not compile: SQL
// state class 42; else source); 401 -> auth, saying what to
// check for a key pair (`user`, the public key's fingerprint) or a token;
// 403 -> auth; 408 -> transient ("WHAT ran past TIMEOUT_NAME and was
// cancelled: ..."); 422 000710 (the result expired before it was read) ->
// transient.
sluice::Error to_error(const ApiError& error, const std::string& what, const std::string& user, bool key_pair,
                       const std::string& timeout_name = "statement_timeout_seconds");

}  // namespace snowflake
