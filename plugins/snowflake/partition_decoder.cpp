#include "partition_decoder.hpp"

namespace snowflake {

DecodedPartition decode_partition_answer(std::string_view body, const std::vector<Column>& columns,
                                         const std::string& what, sql_common::RowShape shape) {
  return sql_common::decode_rows_text(body, RowFormat(columns, shape), "data", what);
}

}  // namespace snowflake
