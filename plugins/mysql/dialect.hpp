// The SQL this connector sends to MySQL 8 and MariaDB 10.11. Pure functions
// of their inputs, unit-tested; both engines run in no test but MariaDB
// (the suite's server).
// https://dev.mysql.com/doc/refman/8.0/en/commit.html (WITH CONSISTENT SNAPSHOT)
// https://mariadb.com/kb/en/max_statement_time/
#pragma once

#include "column_type.hpp"

#include "sql_common/key_ranges.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace mysql_source {

enum class Flavor { mysql, mariadb };
Flavor detect_flavor(const std::string& server_info);  // mysql_get_server_info(): "10.11.6-MariaDB-0+deb12u1"

// `name`, validated (sql_common::quote_identifier, MySQL's 64-byte limit).
std::string quote_name(const std::string& name, const char* what);
std::string quote_table(const std::string& database, const std::string& table);

// The session set-up, one statement each: read-only transactions, UTC for
// TIMESTAMP values, a long net_write_timeout (rows are streamed as the host
// takes them), the statement timeout in the flavor's own variable.
std::vector<std::string> session_setup_sql(Flavor flavor, std::chrono::seconds statement_timeout);

inline constexpr const char* kBeginSnapshot = "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

// The select list: each column by its quoted name (BIT as its unsigned
// value). `as_text`: every non-binary column CAST to CHAR, for prepared
// statements, whose results are then all strings as the text protocol
// writes them.
std::string select_list(const std::vector<Column>& columns, bool as_text);

// One range of a full refresh, over one integer key column ("" and an
// unbounded range: the whole table). Bounds are integers this connector
// computed, written as literals; no value from a table appears in SQL text.
std::string range_read_sql(const std::string& database, const std::string& table, const std::vector<Column>& columns,
                           const sql_common::KeyRange& range, const std::string& key_column);
// MIN and MAX of an integer key column (its index answers both), and with
// `with_count` the table's COUNT(*), which scans an index of it whole.
std::string key_bounds_sql(const std::string& database, const std::string& table, const std::string& key_column,
                           bool with_count = true);
// The storage engine's row estimate of a base table (information_schema
// TABLE_ROWS: InnoDB's running estimate; on MySQL 8 cached up to
// information_schema_stats_expiry), as text; parameters: database, table.
std::string table_rows_sql();
// Aligns the parallel connections' snapshots (held for milliseconds).
std::string lock_for_snapshot_sql(const std::string& database, const std::string& table);

// The incremental read, a prepared statement with ? parameters: the
// columns as text, then the order columns again as text for the
// checkpoint, ORDER BY their positions.
std::string incremental_sql(const std::string& database, const std::string& table, const std::vector<Column>& columns,
                            const std::string& condition, const std::vector<std::string>& order_by);

// The bound value for a column of `kind` in a condition: numbers CAST from
// the text parameter to an exact type first (MySQL compares a string with a
// DECIMAL or BIGINT as doubles, which rounds), "?" for everything else.
std::string placeholder_for(Kind kind);

// The catalog query, one ? (the database): table, type, column, COLUMN_TYPE,
// DATA_TYPE, IS_NULLABLE, position in the primary key (0: none), and whether
// a MariaDB CHECK (json_valid(c)) marks the column as JSON.
std::string columns_sql(Flavor flavor);

}  // namespace mysql_source
