// The incremental read of a table, on the SDK's keyset rule
// (sluice/support/keyset.hpp): rows ordered by the cursor column, then the
// primary key, bounded by bind variables from the last checkpoint, which
// records the cursor and key values of the last row emitted, as text, with
// every digit (38-digit numbers, nanoseconds, offsets) and each column's
// Snowflake type.
//
// Each bound value is bound as TEXT (or FIXED / REAL / BOOLEAN) and turned
// into its column's type in the SQL with an explicit format
// (TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD"T"HH24:MI:SS.FF9'), ...), so neither the
// session's formats nor its time zone can round or shift it.
//
// With a primary key a read asks for the rows after that row,
// `c >= ? AND (c > ? OR k > ?)`: none is read twice; a row written later with
// the checkpoint's cursor and a lower key is not read (the cursor must grow
// with every write). Without a key the bound is inclusive, `c >= ?`: rows
// that share the checkpoint's cursor are read again rather than missed
// (append_dedup by a key, or the target, keeps each once).
#pragma once

#include "column_type.hpp"
#include "statement.hpp"

#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/keyset.hpp>

#include <optional>
#include <string>
#include <vector>

namespace snowflake {

struct IncrementalRead {
  sluice::support::KeysetRead keyset;
  std::vector<std::string> saved_types;  // the checkpoint's types of order_by ("" : unknown)
  std::string condition;                 // the WHERE condition; "" on a first run
  std::vector<Binding> bindings;         // for the condition's '?', in order
};

// The read of an incremental stream from its state. Throws
// sluice::Error(config) for a state of another cursor, or a saved type that
// cannot order rows.
IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream);

// The positions in `columns` (the result's rowType) of order_by; throws
// sluice::Error(config) when one is not a column, cannot order rows (VARIANT,
// OBJECT, ARRAY, GEOGRAPHY, BINARY) or is not of the type the checkpoint saved.
std::vector<size_t> locate_order_columns(const IncrementalRead& read, const std::vector<Column>& columns,
                                         const sluice::ConfiguredStream& stream);

// The checkpoint once `row` (a result row's jsonv2 cells as sent) and every
// row before it are emitted: keyset_checkpoint's members plus "types";
// nullopt when its cursor is NULL.
std::optional<json::object> checkpoint_after(const IncrementalRead& read, const std::vector<Column>& columns,
                                             const std::vector<size_t>& positions, const sql_common::SentRow& row);

// The SQL for one bound value of a column of type `type` (rowType name) and
// its binding: ("TO_DATE(?, 'YYYY-MM-DD')", {TEXT, value}) ...
std::pair<std::string, Binding> bound_value(const std::string& type, const std::string& value);

}  // namespace snowflake
