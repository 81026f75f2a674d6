// The incremental read of a table, on the SDK's keyset rule
// (sluice/support/keyset.hpp): rows ordered by the user's cursor column, then
// the primary key, bounded by named parameters from the last checkpoint,
// which records the cursor and key values of the last row emitted as text
// with every digit (DECIMAL(38,s), BIGINT, TIMESTAMP microseconds) and the
// parameter type of each column ("TIMESTAMP", "DECIMAL(10,2)"), so the bound
// is bound as exactly that value of exactly that type: never a millisecond
// cut that would read the same rows again forever.
//
// With a primary key a read asks for the rows after that row,
// `c >= :cursor AND (c > :cursor OR k > :key_1)`: none read twice. Without a
// key the bound is inclusive, `c >= :cursor`: rows sharing the checkpoint's
// cursor are read again rather than missed (append_dedup keeps each once).
#pragma once

#include "column_type.hpp"
#include "statement.hpp"

#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/keyset.hpp>

#include <optional>
#include <string>
#include <vector>

namespace databricks {

struct IncrementalRead {
  sluice::support::KeysetRead keyset;
  std::vector<std::string> saved_types;  // the checkpoint's parameter types of order_by ("" : unknown)
  std::string condition;                 // the WHERE condition; "" on a first run
  std::vector<Parameter> parameters;     // for the condition's markers
};

// The read of an incremental stream from its state. Throws
// sluice::Error(config) for a state of another cursor.
IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream);

// The positions in `columns` (the result's schema) of order_by; throws
// sluice::Error(config) when one is not a column, cannot order rows (ARRAY,
// MAP, STRUCT, VARIANT, BINARY, INTERVAL) or is not of the type the
// checkpoint saved.
std::vector<size_t> locate_order_columns(const IncrementalRead& read, const std::vector<Column>& columns,
                                         const sluice::ConfiguredStream& stream);

// The checkpoint once `row` (JSON_ARRAY cells as sent) and every row before
// it are emitted: keyset_checkpoint's members plus "types"; nullopt when its
// cursor is NULL.
std::optional<json::object> checkpoint_after(const IncrementalRead& read, const std::vector<Column>& columns,
                                             const std::vector<size_t>& positions, const sql_common::SentRow& row);

}  // namespace databricks
