// The fake Snowflake's data: one database whose schemas are SQLite in-memory
// databases ATTACHed under the schema's name, plus an INFORMATION_SCHEMA
// (COLUMNS, TABLES) kept in step with the tables created. Statements run on
// SQLite as sent, with their bind variables bound, so what the connector
// writes is really executed; results come back in the SQL API's jsonv2
// encoding, typed by the Snowflake type each result column was declared with.
//
// Values are stored in these forms (tests insert them so):
//   NUMBER(p,0) p <= 18: INTEGER; other NUMBER: TEXT with the scale's digits ("12.50")
//   FLOAT: REAL; VARCHAR/TEXT: TEXT; BOOLEAN: 0 / 1; BINARY: BLOB
//   DATE 'YYYY-MM-DD'; TIME 'HH:MM:SS.fffffffff'
//   TIMESTAMP_NTZ and TIMESTAMP_LTZ 'YYYY-MM-DD HH:MM:SS.fffffffff' (LTZ in UTC)
//   TIMESTAMP_TZ 'YYYY-MM-DD HH:MM:SS.fffffffff +HH:MM': the instant in UTC,
//     then the offset it was written at (so text order is instant order)
//   VARIANT / OBJECT / ARRAY / GEOGRAPHY: JSON text (GeoJSON)
// TO_DATE, TO_TIME and TO_TIMESTAMP_NTZ/LTZ/TZ(text, format) exist for the
// formats the connector binds with, and return these forms.
//
// jsonv2 cells, from https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses
// ("Getting the data from the results"): FIXED as decimal text, DATE as days
// since the epoch, TIME as seconds since midnight, TIMESTAMP_NTZ/LTZ as epoch
// seconds with `scale` fractional digits, TIMESTAMP_TZ as epoch seconds, a
// space and the offset in minutes plus 1440, BINARY as hex, semi-structured
// values as JSON text.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace snowflake_fake {

namespace json = boost::json;

struct FakeColumn {
  std::string name;
  std::string type;  // Snowflake DDL type: NUMBER(38,0), VARCHAR, TIMESTAMP_TZ(9), VARIANT...
  bool nullable = true;
};

using Cell = std::optional<std::string>;  // null, or the value in its stored form as text
using Row = std::vector<Cell>;

// A statement's outcome: rows as jsonv2 cells, or Snowflake's error.
struct StatementResult {
  json::array row_type;
  std::vector<json::array> rows;
  std::string error_code, sql_state, error_message;  // error_code empty: success
};

class FakeDatabase {
 public:
  explicit FakeDatabase(std::string name);
  ~FakeDatabase();

  const std::string& name() const { return name_; }
  void create_schema(const std::string& schema);
  // Creates the table (and its schema), registers its columns and key.
  void create_table(const std::string& schema, const std::string& table, const std::vector<FakeColumn>& columns,
                    const std::vector<std::string>& primary_key = {}, bool view = false);
  // Inserts rows, values as the header says (BINARY given as hex).
  void insert(const std::string& schema, const std::string& table, const std::vector<Row>& rows);
  // SELECT on this table fails as Snowflake does without the privilege.
  void deny(const std::string& schema, const std::string& table);
  // Values the context functions answer (CURRENT_USER() ...).
  void set_context(std::string user, std::string role, std::string warehouse);

  // Runs one statement with bindings ({"1": {"type", "value"}}); `schema`
  // the request's schema ("" : none).
  StatementResult run(const std::string& sql, const json::object& bindings, const std::string& schema);

 private:
  struct Impl;
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace snowflake_fake
