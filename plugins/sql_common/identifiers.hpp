// Names of schemas, tables and columns in SQL text and in messages. Names
// come from the source and the user's config and are untrusted: a name is
// validated and written as a quoted identifier (the quote character inside
// doubled), never pasted raw, so "Order Items", "select" and a name holding
// quotes all read as themselves. Values never appear in SQL text: they are
// bind parameters.
#pragma once

#include <string>
#include <string_view>

namespace sql_common {

// The name for an error message: control characters shown as '?', cut
// after 80 bytes with "...".
std::string printable(std::string_view name);

// How one engine quotes a name: '"' (SQL standard, PostgreSQL, Snowflake)
// or '`' (MySQL, MariaDB), and its longest name in bytes.
struct QuoteRule {
  char quote = '"';
  size_t max_bytes = 63;
};

// The quoted name, or throws sluice::Error(config) naming `what` ("table",
// "column") when it cannot be a name: empty, longer than the rule allows, or
// holding a control character (or a NUL, which no engine takes).
std::string quote_identifier(std::string_view name, std::string_view what, QuoteRule rule);

}  // namespace sql_common
