// Decodes a result partition's answer straight from its text: the rows of
// {"data": [[cell, ...], ...]} become record text for emit_serialized as the
// text is parsed, with no DOM of the partition (a partition of 100,000 rows
// is ~10 MB of text whose DOM took ~17 MB more while it was decoded; with
// `concurrency` partitions decoding at once that was most of a sync's heap).
// Same records and refusals as decode_rows (row_decoder.hpp) on the same
// rows: the fuzz target snowflake_rows checks the two agree.
// Members other than "data" are skipped; a second "data" is refused.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses#retrieving-additional-partitions
#pragma once

#include "row_decoder.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snowflake {

struct DecodedPartition {
  DecodedRows rows;
  // The last row's cells as sent (strings, or nullopt for null): what a
  // checkpoint is taken from.
  std::vector<std::optional<std::string>> last;
};

// Throws sluice::Error(source): "WHAT: the answer holds no data array" (or
// two), "WHAT: the answer is not one JSON document (...)", or decode_rows's
// refusals.
DecodedPartition decode_partition_answer(std::string_view body, const std::vector<Column>& columns,
                                         const std::string& what);

}  // namespace snowflake
