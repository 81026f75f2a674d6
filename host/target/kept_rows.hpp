// The rows a backfill replaced, kept so that it can be reverted
// (ingest/backfill.hpp, docs/ingest.md#backfills): a table beside the live
// one, "<table>__replaced", with one column before the live table's,
// _sluice_backfill_id, naming the backfill that moved each row there.
//
// Why a table of its own and not a flag column in the live table: queries
// keep reading the live table as it is (no "not replaced" filter to
// forget), the unique index on the id keeps meaning "stored once" (a
// replaced row and its correction may share an id), and a revert is two
// statements that touch only one backfill's rows.
//
// Every statement is written once from the Dialect; the one difference
// between engines, how a bound instant compares with a timestamp column, is
// the table in kept_rows.cpp. Each function runs in the caller's open
// transaction, except prepare_kept_table (DDL, before it: MySQL commits DDL).
#pragma once

#include "host/target/target.hpp"

#include <sluice/support/timestamp.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::host {

inline constexpr const char* kBackfillColumn = "_sluice_backfill_id";

// The kept table of `live`, its name cut to fit like every derived name.
TableRef kept_table(const Target& target, const TableRef& live);

// Creates the kept table of `live` (kBackfillColumn, then `columns`) or adds
// the columns it lacks. Outside a transaction.
void prepare_kept_table(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns);

// The rows of a table whose `time_column` is in [from, to), and, when
// `match_column` is set, whose `match_column` holds `match_value` (text,
// compared as the column's type compares it: an integer column as numbers).
struct RowRange {
  std::string time_column;
  support::Timestamp from;
  support::Timestamp to;
  std::string match_column;
  std::string match_value;
};

// `t` as a bound value that compares with a timestamp column as the instant
// it is: the canonical RFC 3339 text SQLite stores, PostgreSQL's timestamptz
// input with "+00", MySQL's DATETIME(6) literal in UTC.
std::string instant_value(const Dialect& dialect, support::Timestamp t);

// Copies the rows of `live` in `range` into the kept table tagged `tag`,
// then deletes from `live` exactly the rows whose `key_column` was copied:
// a row another transaction commits in the range meanwhile is neither
// copied nor deleted (it stays live: never lost, never doubled). Returns
// how many rows moved.
uint64_t move_to_kept(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns,
                      const std::string& key_column, const RowRange& range, const std::string& tag);

// Puts the rows tagged `tag` back into `live` and deletes them from the
// kept table. Returns how many.
uint64_t restore_from_kept(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns,
                           const std::string& tag);

// Deletes the rows of `table` whose `column` holds `value`; returns how many.
uint64_t delete_rows_where(Target& target, const TableRef& table, const std::string& column, const std::string& value);

// The rows of `table` whose `column` holds `value`.
uint64_t count_rows_where(Target& target, const TableRef& table, const std::string& column, const std::string& value);

// Kept rows whose `column` holds `value` and that another backfill than
// `tag` moved there (a newer backfill replaced rows `tag` stored).
uint64_t kept_by_other(Target& target, const TableRef& live, const std::string& column, const std::string& value,
                       const std::string& tag);

// Kept rows tagged `tag` whose `key_column` value `live` holds again.
uint64_t kept_keys_live(Target& target, const TableRef& live, const std::string& key_column, const std::string& tag);

}  // namespace sluice::host
