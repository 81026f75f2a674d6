// Decodes a later result partition's answer straight from its text: the
// rows of {"data": [[cell, ...], ...]} become record text as the text is
// parsed, with no DOM of the partition (sql_common/row_stream.hpp, with
// this connector's cell rules). Same records and refusals as decode_rows
// (row_decoder.hpp) on the same rows: the fuzz target snowflake_rows checks
// the two agree. Members other than "data" are skipped; a second "data" is
// refused.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses#retrieving-additional-partitions
#pragma once

#include "row_decoder.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace snowflake {

// Its records, and its last row's cells as sent (strings, or nullopt for
// null): what a checkpoint is taken from.
using DecodedPartition = sql_common::RowBatch;

// Throws sluice::Error(source): "WHAT: the answer holds no data array" (or
// two), "WHAT: the answer is not one JSON document (...)", or decode_rows's
// refusals.
DecodedPartition decode_partition_answer(std::string_view body, const std::vector<Column>& columns,
                                         const std::string& what,
                                         sql_common::RowShape shape = sql_common::RowShape::record);

}  // namespace snowflake
