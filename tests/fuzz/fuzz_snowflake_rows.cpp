// Fuzz target: Snowflake SQL API jsonv2 rows through the connector's decoders.
// Input: {"rowType": [...], "data": [[...], ...]}, or one row decoded with a
// fixed rowType holding every type. The documented refusal is sluice::Error;
// anything else (a crash, an overflow, a record that is not JSON) is a finding.
// The first form is also decoded as a later partition's answer is, while
// parsing (partition_decoder.hpp): when both decoders accept it, their
// records must be the same, byte for byte.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses
#include "partition_decoder.hpp"
#include "row_decoder.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace json = boost::json;

namespace {

const std::vector<snowflake::Column>& fixed_columns() {
  static const std::vector<snowflake::Column> columns = snowflake::parse_row_type(json::parse(R"([
    {"name": "i", "type": "fixed", "precision": 18, "scale": 0}, {"name": "n", "type": "fixed", "precision": 38, "scale": 2},
    {"name": "r", "type": "real"}, {"name": "t", "type": "text"}, {"name": "b", "type": "boolean"},
    {"name": "d", "type": "date"}, {"name": "tm", "type": "time", "scale": 9},
    {"name": "ntz", "type": "timestamp_ntz", "scale": 9}, {"name": "ltz", "type": "timestamp_ltz", "scale": 9},
    {"name": "tz", "type": "timestamp_tz", "scale": 9}, {"name": "v", "type": "variant"}, {"name": "o", "type": "object"},
    {"name": "a", "type": "array"}, {"name": "bin", "type": "binary"}, {"name": "g", "type": "geography"}])"));
  return columns;
}

snowflake::DecodedRows decode_checked(const json::array& data, const std::vector<snowflake::Column>& columns) {
  snowflake::DecodedRows rows;
  snowflake::decode_rows(data, columns, rows);
  for (size_t i = 0; i < rows.ends.size(); ++i) {
    json::error_code ec;
    const json::value record = json::parse(rows.record(i), ec);
    if (ec || !record.is_object()) throw std::logic_error("a decoded record is not a JSON object");
  }
  return rows;
}

// The streaming decoder on the same text: same records when both accept it.
void compare_streaming(std::string_view text, const std::vector<snowflake::Column>& columns,
                       const snowflake::DecodedRows& dom) {
  snowflake::DecodedPartition streamed;
  try {
    streamed = snowflake::decode_partition_answer(text, columns, "fuzz");
  } catch (const sluice::Error&) {
    return;  // e.g. two "data" members: the DOM keeps one, the stream refuses
  }
  if (streamed.rows.text != dom.text || streamed.rows.ends != dom.ends) {
    throw std::logic_error("the streaming and DOM decoders disagree on a partition's records");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  json::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return 0;
  try {
    if (value.is_object() && value.as_object().contains("rowType") && value.as_object().contains("data")) {
      auto columns = snowflake::parse_row_type(value.at("rowType"));
      if (!value.at("data").is_array()) return 0;
      const snowflake::DecodedRows rows = decode_checked(value.at("data").as_array(), columns);
      compare_streaming(text, columns, rows);
    } else if (value.is_array()) {
      decode_checked(json::array{value}, fixed_columns());
    }
  } catch (const sluice::Error&) {
  }
  return 0;
}
