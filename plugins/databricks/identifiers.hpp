// Quoting of catalog, schema, table and column names in Databricks SQL text.
// Names come from the source and the user's config and are untrusted: each
// is validated and written as a backquoted identifier (a '`' inside doubled),
// never pasted raw, so `order items`, `select` and a name holding backquotes
// or quotes all read as themselves. Values never appear in SQL text: they are
// named parameters (statement.hpp).
// https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-identifiers
#pragma once

#include <string>
#include <string_view>

namespace databricks {

// `name`, or throws sluice::Error(config) naming `what` when the name cannot
// be an identifier: empty, longer than 255 bytes (Unity Catalog's limit), or
// holding a control character.
std::string quote_identifier(std::string_view name, std::string_view what);

// `schema`.`table`, each part validated as above (the catalog is the
// statement's context, statement.hpp).
std::string quote_table(std::string_view schema, std::string_view table);

}  // namespace databricks
