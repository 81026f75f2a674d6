// The fake BigQuery's query engine. For jobs.query (stream reads) it
// understands exactly the statements the connector issues and refuses
// anything else with BigQuery's invalidQuery error, so a change in the
// connector's SQL shows up in tests:
//   SELECT * FROM `p`.`d`.`t` [WHERE condition] [ORDER BY `c1`[, `c2`...]]
// where a condition is comparisons `c` op @name (op >=, > or =) joined by
// AND and OR (AND binding tighter), with parentheses. For jobs.insert
// (`sluice query`) it reads a user's SELECT (parse_select): keywords in any
// case, names bare or `quoted`, a select list of *, columns and @parameters
// (each optionally AS alias), FROM one table (`p.d.t`, `p`.`d`.`t`, d.t),
// comparisons with >=, >, =, <=, < or != against @parameters, ORDER BY,
// LIMIT; statement_type() names any statement as a dry run does.
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

// Where a @parameter is used: its name, line and column (1-based), as
// BigQuery's messages say it ("at [2:15]").
struct ParameterUse {
  std::string name;
  size_t line = 1, column = 1;
  bool operator==(const ParameterUse&) const = default;
};

// One item of a select list: a column or a @parameter, and its name in the result.
struct SelectItem {
  std::string column, parameter, alias;  // one of column and parameter
};

struct ParsedQuery {
  std::string project, dataset, table;  // table empty: no FROM (parse_select)
  std::vector<SelectItem> items;      // empty: *
  std::optional<Condition> where;     // nullopt: no WHERE
  std::vector<std::string> order_by;  // ascending; empty: no ORDER BY
  std::optional<size_t> limit;
  std::vector<ParameterUse> parameter_uses;  // every @parameter used (parse_select)
};

// The statement's parts, or nullopt when it is not one of the shapes above.
std::optional<ParsedQuery> parse_query(std::string_view sql);

// A user's SELECT as described above, `default_project` for a two-part
// table name; nullopt when the fake cannot run it.
std::optional<ParsedQuery> parse_select(std::string_view sql, const std::string& default_project);

// What a dry run reports as statistics.query.statementType: SELECT (also
// for WITH), INSERT, UPDATE, DELETE, MERGE, TRUNCATE_TABLE, CREATE_TABLE,
// CREATE_TABLE_AS_SELECT, CREATE_VIEW, DROP_TABLE, ALTER_TABLE, SCRIPT
// (several statements, DECLARE, BEGIN...); "" for none of these.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobStatistics2 (statementType)
std::string statement_type(std::string_view sql);

// A query error with BigQuery's reason (invalidQuery) and a message.
struct QueryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct QueryResult {
  json::array fields;                    // the result schema's fields
  std::vector<const json::value*> rows;  // wire-form rows in result order: the table's (not copied) or `owned`
  std::vector<json::value> owned;        // rows the query made (a select list, @parameters); empty: none
  size_t generated = 0;                  // rows 0..generated-1 of a generated table (rows empty)
  size_t size() const { return generated > 0 ? generated : rows.size(); }
};

// Runs the query over `table` (nullptr: no FROM) with the request's
// queryParameters; the result points into `table`, which must outlive it.
// Throws QueryError for an unknown column, a missing or mistyped parameter.
QueryResult execute_query(const ParsedQuery& query, const StoredTable* table, const json::array& parameters);
QueryResult execute_query(const ParsedQuery& query, const FakeTable& table, const json::array& parameters);

// Checks queryParameters as BigQuery does before running anything: each
// named, of a scalar type, with a value of that type. Throws QueryError.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/QueryParameter
void check_parameters(const json::array& parameters);

// The bytes a query reads, as BigQuery prices them: the referenced columns'
// sizes over all rows (INT64 8 bytes, STRING 2 + its UTF-8 bytes, NULL 0...).
// https://cloud.google.com/bigquery/pricing#data_size_calculation
int64_t bytes_processed(const ParsedQuery& query, const StoredTable& table);

// Microseconds since the epoch of a TIMESTAMP literal such as
// "2024-05-01 12:34:56.123456+00:00" or "2024-05-01T12:34:56Z"; nullopt if malformed.
std::optional<int64_t> parse_timestamp_literal(std::string_view text);

}  // namespace bigquery_fake
