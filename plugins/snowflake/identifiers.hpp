// Quoting of schema, table and column names in Snowflake SQL text. Names come
// from the source and the user's config and are untrusted: each one is
// validated and written as a double-quoted identifier (a '"' inside doubled),
// never pasted raw, so "Order Items", "select" and a name holding quotes all
// read as themselves, case kept. Values never appear in SQL text: they are
// bind variables (statement.hpp).
// https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers
#pragma once

#include <string>
#include <string_view>

namespace snowflake {

// "name", or throws sluice::Error(config) naming `what` when the name cannot
// be an identifier: empty, longer than 255 bytes (Snowflake's limit), or
// holding a control character.
std::string quote_identifier(std::string_view name, std::string_view what);

// "schema"."table", each part validated as above.
std::string quote_table(std::string_view schema, std::string_view table);

}  // namespace snowflake
