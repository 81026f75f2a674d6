// The incremental read of a table, on the SDK's keyset rule
// (sluice/support/keyset.hpp): rows ordered by the cursor column, then the
// primary key, bounded by typed named parameters from the last checkpoint,
// which records the cursor and key values of the last row emitted.
//
// With a primary key a read asks for the rows after that row,
// `c >= @cursor AND (c > @cursor OR k > @key_1)`: none is read twice, so an
// incremental_append table holds each row once; a row written later with the
// checkpoint's cursor value and a lower key is not read (the cursor must grow
// with every write). Without a key it asks for `c >= @cursor` (inclusive):
// rows that share the checkpoint's cursor value are read again rather than
// missed, and an incremental_append table holds them once more per run. A
// cursor-only state (from before keys were recorded) is read inclusively once.
#pragma once

#include "field_schema.hpp"
#include "query_request.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/keyset.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bigquery {

// The parameter type of a column that orders rows; `role` names it in the
// error ("cursor_field", "primary_key column"). Throws sluice::Error(config)
// when it cannot (REPEATED, STRUCT, JSON, GEOGRAPHY, BOOL, INTERVAL, RANGE).
std::string orderable_parameter_type(const Field& field, const std::string& role);

// The parameter value for a value as decode_cell() produced it
// (TIMESTAMP "…T…Z" becomes "YYYY-MM-DD HH:MM:SS.ffffff+00:00"); nullopt for null.
std::optional<std::string> cursor_parameter_value(const json::value& decoded, FieldType type);

struct IncrementalRead {
  sluice::support::KeysetRead keyset;
  std::vector<Field> columns;  // the keyset's order_by columns, as the table has them
  std::string condition;       // the WHERE condition; "" on a first run
  std::vector<QueryParameter> parameters;
};

// The read of an incremental stream over a table with `table_fields`.
// Throws sluice::Error(config) when the cursor or a key column is not a
// column of the table or cannot order rows, or the saved state is for
// another cursor column or type.
IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream, const std::vector<Field>& table_fields);

// The checkpoint once `record` (a decoded row) and every row before it are
// emitted: {"cursor_field", "cursor", "primary_key", "key", "cursor_type"};
// nullopt when its cursor is NULL.
std::optional<json::object> checkpoint_after(const IncrementalRead& read, const json::object& record);

// The same from the last row's wire values of read.columns, in order
// (nullopt: NULL), as page_decoder.hpp captures them: each is decoded as
// its record value would be, so both forms give the same checkpoint.
std::optional<json::object> checkpoint_after(const IncrementalRead& read,
                                             const std::vector<std::optional<std::string>>& wire_values);

}  // namespace bigquery
