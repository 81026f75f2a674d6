// Quoting of project, dataset, table and column names in GoogleSQL text.
// Names come from the source (and from the user's config) and are untrusted:
// each one is validated and written as a backtick-quoted identifier, never
// pasted raw. Values never appear in SQL text at all: they are query
// parameters (see query_request.hpp).
// https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers
#pragma once

#include <string>
#include <string_view>

namespace bigquery {

// `name`, or throws sluice::Error(config) naming `what` when the name cannot
// be quoted safely: empty, longer than 1024 bytes, or holding a backtick, a
// backslash or a control character (legal in no BigQuery name, and the only
// characters that could end or escape the quoted form).
std::string quote_identifier(std::string_view name, std::string_view what);

// `project`.`dataset`.`table`, each part validated as above.
std::string quote_table_path(std::string_view project, std::string_view dataset, std::string_view table);

}  // namespace bigquery
