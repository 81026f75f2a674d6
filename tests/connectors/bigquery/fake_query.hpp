// The fake BigQuery's query engine. It understands exactly the statements
// the connector issues and refuses anything else with BigQuery's
// invalidQuery error, so a change in the connector's SQL shows up in tests:
//   SELECT * FROM `p`.`d`.`t` [WHERE condition] [ORDER BY `c1`[, `c2`...]]
// where a condition is comparisons `c` op @name (op >=, > or =) joined by
// AND and OR (AND binding tighter), with parentheses.
// Comparisons follow the column's type (INT64 as integers, NUMERIC as
// decimals, TIMESTAMP as instants, BYTES by their decoded bytes, strings
// bytewise); NULLs sort first and
// never match a comparison, as in GoogleSQL. Parameters are typed: a
// parameter whose type does not match the column is refused, as BigQuery
// does ("No matching signature for operator >=").
// https://cloud.google.com/bigquery/docs/parameterized-queries
// https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#comparison_operators
// https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers
#pragma once

#include "fake_tables.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bigquery_fake {

// A WHERE condition: one comparison, or the AND (all) or OR (any) of others.
struct Condition {
  enum class Kind { comparison, all, any } kind = Kind::comparison;
  std::string column, op, parameter;  // a comparison: `column` op @parameter
  std::vector<Condition> operands;    // all / any
};

struct ParsedQuery {
  std::string project, dataset, table;
  std::optional<Condition> where;     // nullopt: no WHERE
  std::vector<std::string> order_by;  // ascending; empty: no ORDER BY
};

// The statement's parts, or nullopt when it is not one of the shapes above.
std::optional<ParsedQuery> parse_query(std::string_view sql);

// A query error with BigQuery's reason (invalidQuery) and a message.
struct QueryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct QueryResult {
  json::array fields;                    // the result schema's fields
  std::vector<const json::value*> rows;  // the table's wire-form rows, in result order (not copied)
};

// Runs the query over `table` with the request's queryParameters; the
// result points into `table`, which must outlive it. Throws QueryError for
// an unknown column, a missing or mistyped parameter.
QueryResult execute_query(const ParsedQuery& query, const FakeTable& table, const json::array& parameters);

// Microseconds since the epoch of a TIMESTAMP literal such as
// "2024-05-01 12:34:56.123456+00:00" or "2024-05-01T12:34:56Z"; nullopt if malformed.
std::optional<int64_t> parse_timestamp_literal(std::string_view text);

}  // namespace bigquery_fake
