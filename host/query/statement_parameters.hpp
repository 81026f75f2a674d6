// The parameter rule of `sluice query` (docs/query.md): a statement names
// its parameters as :name in every dialect, and Sluice turns each into the
// source's own placeholder, so the values travel apart from the SQL and are
// bound by the source, never pasted into the text.
//  1. A parameter is ':' directly followed by a name ([A-Za-z_][A-Za-z0-9_]*)
//     outside strings, quoted names and comments (sql_lexer.hpp), where the
//     ':' does not directly follow a name, a digit, a quote, ')', ']' or
//     another ':' (those are casts, slices and paths into semi-structured
//     values). Names are case-sensitive.
//       "WHERE day >= :from AND day < :to"      parameters from, to
//       "SELECT x::date, v:customer.id"         none: a cast and a path
//       "SELECT ':from'", "-- :from"            none: a string, a comment
//       "SELECT a[1:n]"                         none: a slice
//  2. Each becomes the dialect's placeholder (kStyles in the .cpp):
//       postgresql   $N, N the name's rank of first use (a name used twice
//                    is one parameter)
//       mysql, snowflake   ? per use, the parameter repeated in bind order
//       bigquery     @name;  databricks  :name (one parameter per name)
//  3. The source's own placeholders are refused, naming where, so nothing
//     is left unbound: $1 on postgresql; ? on mysql, snowflake, databricks
//     and bigquery; @name on bigquery. ("?" stays an operator on
//     postgresql, where it is jsonb's key test.)
//       "SELECT * FROM t WHERE id = ?"          refused on mysql: use :name
//  4. A parameter name that is not plain letters, digits and '_' is refused.
#pragma once

#include "host/query/sql_lexer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

struct BoundStatement {
  std::string sql;                 // with the dialect's placeholders
  std::vector<std::string> order;  // the parameter names in bind order (rule 2)
  std::vector<std::string> names;  // each name used, once, in order of first use
};

// Rewrites `sql`'s :name parameters for `lexicon`'s dialect; throws
// QueryRefused by rules 3 and 4.
BoundStatement bind_parameters(std::string_view sql, const SqlLexicon& lexicon);

}  // namespace sluice::host
