#include "identifiers.hpp"

#include "sql_common/identifiers.hpp"

namespace snowflake {

std::string quote_identifier(std::string_view name, std::string_view what) {
  return sql_common::quote_identifier(name, what, {'"', 255});  // Snowflake's limit
}

std::string quote_table(std::string_view schema, std::string_view table) {
  return quote_identifier(schema, "schema") + "." + quote_identifier(table, "table");
}

}  // namespace snowflake
