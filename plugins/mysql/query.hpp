// Query in place on MySQL and MariaDB (`sluice query`, docs/connectors/mysql.md
// "Query in place"). The host has checked that the statement only reads and
// written each :name parameter as a ? (one per use). Here the source's own
// guards are pushed into the session: sql_mode pinned so the server reads
// the statement as the host's lexer did, the flavor's statement timeout, a
// read-only transaction (a write the host missed, say inside a stored
// function, fails there), the statement prepared with typed bound
// parameters (never pasted into the text; one statement per call, no
// CLIENT_MULTI_STATEMENTS), rows streamed unbuffered, and KILL QUERY from a
// second connection when the host cancels.
#pragma once

#include "column_type.hpp"
#include "dialect.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

#include <mysql.h>

#include <string>
#include <string_view>
#include <vector>

namespace mysql_source {

// The session's statements before a query, one each: sql_mode without
// NO_BACKSLASH_ESCAPES, ANSI_QUOTES and the combination modes that hold
// them (ANSI, DB2, MAXDB, MSSQL, ORACLE, POSTGRESQL), so '\'' escapes and
// "..." is a string, as the host's lexer assumed; the timeout in the
// flavor's variable (MariaDB max_statement_time in seconds, MySQL
// max_execution_time in milliseconds); then START TRANSACTION READ ONLY.
std::vector<std::string> query_setup_sql(Flavor flavor, int64_t timeout_seconds);

// The column of a result field, by the type map discover uses: DATA_TYPE
// from the wire type, its flags and character set (63: binary), the source
// type that name plus " unsigned" where flagged. `format`: MariaDB's
// extended metadata format ("json" for its JSON alias), else empty.
Column result_column(const MYSQL_FIELD& field, std::string_view format);

// The text of a BIT value sent as bytes (big-endian): its unsigned value,
// as discover's reads write it (CAST(... AS UNSIGNED)).
std::string bit_value_text(std::string_view bytes);

// The request's parameters as typed binds: integer LONGLONG, number
// DOUBLE, boolean TINY, string STRING, date DATE, timestamp DATETIME in
// UTC (the session's time_zone); JSON null as SQL NULL. Throws
// sluice::Error(config) naming a parameter whose value is not its type.
class BoundParameters {
 public:
  explicit BoundParameters(const std::vector<sluice::QueryParameter>& parameters);
  BoundParameters(const BoundParameters&) = delete;
  std::vector<MYSQL_BIND>& binds() { return binds_; }

 private:
  struct Slot {
    long long integer = 0;
    double number = 0;
    signed char boolean = 0;
    std::string text;
    MYSQL_TIME time{};
    my_bool null = 0;
  };
  std::vector<Slot> slots_;  // sized once: the binds point into it
  std::vector<MYSQL_BIND> binds_;
};

// Runs `request` on a new connection and streams its result into `ctx`.
void run_query(const Settings& settings, const sluice::Logger& log, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx);

}  // namespace mysql_source
