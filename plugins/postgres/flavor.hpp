// The SQL this connector sends, per member of the PostgreSQL wire family.
// Pure functions of their inputs, unit-tested for every flavor; only
// PostgreSQL itself runs in the test suite.
//   postgres     the reference: exported snapshot shared by the parallel
//                connections, COPY TO STDOUT over ranges of a single integer
//                key (resumable), else CTID block ranges.
//   cockroachdb  no CTID and no exported snapshot: integer-key ranges read
//                AS OF SYSTEM TIME one timestamp, COPY TO STDOUT.
//   redshift     no CTID, no snapshot export, no COPY TO STDOUT, no arrays
//                or to_json: one connection, key ranges as plain SELECTs in
//                one serializable transaction.
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION
// https://www.cockroachlabs.com/docs/stable/as-of-system-time
// https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html
#pragma once

#include "column_type.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace postgres {

enum class Flavor { postgres, cockroachdb, redshift };
const char* to_string(Flavor flavor);

// From version(): "CockroachDB CCL v23.1..." or "... Redshift ..." else postgres.
Flavor detect_flavor(const std::string& version);

// The statements that make a session read-only and polite, and fix the text
// forms values come in: UTC, ISO dates, ISO 8601 intervals, shortest exact
// floats, hex bytea, the statement timeout, a lock timeout so a read never
// waits in a lock queue long (where it would hold up writers behind it).
std::string session_setup_sql(Flavor flavor, std::chrono::seconds statement_timeout);

// "schema"."table" (and "column"), validated: sql_common::quote_identifier.
std::string quote_name(const std::string& name, const char* what);
std::string quote_table(const std::string& schema, const std::string& table);

// The select list: each column by its quoted name, money as numeric, arrays
// through to_json() (Redshift has no arrays).
std::string select_list(const std::vector<Column>& columns, Flavor flavor);
// One column of it: the quoted name, or the expression reading its value
// in the form record_text.hpp takes.
std::string select_expression(const Column& column);

// One range of a full refresh. Block ranges bound CTIDs (postgres only);
// key ranges bound one integer key column. nullopt: unbounded on that side.
struct Range {
  enum class By { everything, blocks, key } by = By::everything;
  std::optional<int64_t> low, high;  // [low, high)
};

// The WHERE condition of a range ("" for everything). Its bounds are
// integers this connector computed, written as literals (COPY takes no
// parameters); no value from a table ever appears in SQL text.
std::string range_condition(const Range& range, const std::string& key_column);

// Splits [0, blocks) into ranges of `per_range` blocks, the last one open
// (rows the snapshot sees never lie past the size read in it, and an open
// end costs nothing).
std::vector<Range> block_ranges(int64_t blocks, int64_t per_range);
// Splits the keys [min, max] into `parts` ranges, the first and last open.
std::vector<Range> key_ranges(int64_t min, int64_t max, int64_t parts);

// The statement reading one range: COPY (SELECT ...) TO STDOUT, or for
// Redshift the SELECT itself; key ranges in key order (resume points say
// how far a range got). `as_of`: CockroachDB's snapshot timestamp.
std::string range_read_sql(Flavor flavor, const std::string& schema, const std::string& table,
                           const std::vector<Column>& columns, const Range& range, const std::string& key_column,
                           const std::string& as_of = "");
bool reads_with_copy(Flavor flavor);

// Opening a snapshot: the leader's BEGIN ("" for CockroachDB, whose ranges
// each read AS OF SYSTEM TIME the exported timestamp, outside a transaction),
// the statement exporting it, the workers' import of it; and the BEGIN of an
// incremental read (one connection, one consistent view).
std::string begin_snapshot_sql(Flavor flavor);
std::string begin_read_sql(Flavor flavor);
std::optional<std::string> export_snapshot_sql(Flavor flavor);  // nullopt: cannot share it
std::string import_snapshot_sql(const std::string& snapshot_id);   // the id is checked, then quoted

// Sizes for planning ranges: pages and estimated rows of a table (postgres).
std::string table_size_sql();
// min and max of an integer key column (its index answers both), and with
// `with_count` the table's count(*), which scans it: PostgreSQL plans from
// its statistics instead (table_size_sql), the other flavors have none.
std::string key_bounds_sql(Flavor flavor, const std::string& schema, const std::string& table,
                           const std::string& key_column, const std::string& as_of = "", bool with_count = true);
// count(*) of a table: planning's last resort (no statistics yet).
std::string row_count_sql(const std::string& schema, const std::string& table);

// Incremental reads by transaction id, for tables with no usable cursor:
// the xmin pseudo-column is the row's xmin made 64-bit (epoch-extended)
// against the snapshot's xmax (which every visible row's xid precedes by
// less than 2^32: older rows read wrong, the documented wraparound limit).
// Both bounds of the snapshot, epoch-extended, as text (PostgreSQL 13+).
std::string snapshot_bounds_sql();
std::string xmin64_sql(int64_t snapshot_xmax);
inline constexpr const char* kXminColumn = "xmin";  // no table column can bear the name of a system column

// The incremental read: SELECT list FROM table WHERE `condition` ORDER BY
// cursor and key, with $1.. parameters; the order columns are selected again
// as ::text at the end so the checkpoint keeps their exact server text
// (ORDER BY their positions: the copies bear the same names).
std::string incremental_sql(Flavor flavor, const std::string& schema, const std::string& table,
                            const std::vector<Column>& columns, const std::string& condition,
                            const std::vector<std::string>& order_by);

}  // namespace postgres
