// Fuzz target: Databricks JSON_ARRAY rows through the connector's decoders.
// Input: {"columns": [...manifest columns...], "rows": [[...], ...]}, or
// anything else as a chunk's body as an external link serves it (a JSON
// array of rows), decoded with a fixed schema holding every type. Each is
// decoded both ways: parsed first (decode_rows, as INLINE rows are) and while
// parsed (decode_chunk, as downloaded chunks are); when both accept the
// rows, their records and last row must be the same. The documented refusal
// is sluice::Error; anything else (a crash, an overflow, a record that is
// not JSON, the decoders disagreeing) is a finding.
// https://docs.databricks.com/api/workspace/statementexecution
#include "row_decoder.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace json = boost::json;

namespace {

const std::vector<databricks::Column>& fixed_columns() {
  static const std::vector<databricks::Column> columns = databricks::parse_columns(json::parse(R"JSON([
    {"name": "i", "type_name": "LONG", "type_text": "bigint"}, {"name": "s", "type_name": "SHORT", "type_text": "smallint"},
    {"name": "n", "type_name": "DECIMAL", "type_text": "decimal(38,10)", "type_precision": 38, "type_scale": 10},
    {"name": "r", "type_name": "DOUBLE", "type_text": "double"}, {"name": "t", "type_name": "STRING", "type_text": "string"},
    {"name": "b", "type_name": "BOOLEAN", "type_text": "boolean"}, {"name": "d", "type_name": "DATE", "type_text": "date"},
    {"name": "ts", "type_name": "TIMESTAMP", "type_text": "timestamp"},
    {"name": "ntz", "type_name": "TIMESTAMP", "type_text": "timestamp_ntz"},
    {"name": "bin", "type_name": "BINARY", "type_text": "binary"}, {"name": "a", "type_name": "ARRAY", "type_text": "array<int>"},
    {"name": "m", "type_name": "MAP", "type_text": "map<string,int>"},
    {"name": "st", "type_name": "STRUCT", "type_text": "struct<a:int>"}, {"name": "v", "type_name": "STRING", "type_text": "variant"},
    {"name": "iv", "type_name": "INTERVAL", "type_text": "interval day to second"}])JSON"));
  return columns;
}

void check_records(const databricks::DecodedRows& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    json::error_code ec;
    const json::value record = json::parse(rows.record(i), ec);
    if (ec || !record.is_object()) throw std::logic_error("a decoded record is not a JSON object");
  }
}

// Both decoders on the same rows (`body`: their text; `parsed`: the same,
// parsed, or null when it is not a JSON array): same records, same last row.
void compare(std::string_view body, const json::value* parsed, const std::vector<databricks::Column>& columns) {
  std::optional<databricks::DecodedRows> dom;
  sql_common::SentRow dom_last;
  if (parsed && parsed->is_array()) {
    try {
      dom.emplace();
      databricks::decode_rows(parsed->get_array(), columns, *dom);
      check_records(*dom);
      const auto& rows = parsed->get_array();
      if (!rows.empty()) dom_last = sql_common::sent_row(rows.back().as_array());
    } catch (const sluice::Error&) {
      dom.reset();
    }
  }
  sql_common::RowBatch streamed;
  try {
    streamed = databricks::decode_chunk(body, columns, "chunk");
  } catch (const sluice::Error&) {
    if (dom && parsed) {
      // The DOM accepted rows the stream refused: only a parser difference
      // (json::parse keeps what the streaming parser's limits refuse) may explain it.
      throw std::logic_error("the streaming decoder refused rows the DOM decoder accepted");
    }
    return;
  }
  check_records(streamed.rows);
  if (!dom) throw std::logic_error("the streaming decoder accepted rows the DOM decoder refused");
  if (streamed.rows.text != dom->text || streamed.rows.ends != dom->ends || streamed.last != dom_last) {
    throw std::logic_error("the streaming and DOM decoders disagree on a chunk's records");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    json::error_code ec;
    json::value value = json::parse(text, ec);
    if (!ec && value.is_object() && value.as_object().contains("columns") && value.as_object().contains("rows")) {
      const auto columns = databricks::parse_columns(value.at("columns"));
      if (!value.at("rows").is_array()) return 0;
      compare(json::serialize(value.at("rows")), &value.at("rows"), columns);
    } else {
      compare(text, ec ? nullptr : &value, fixed_columns());
    }
  } catch (const sluice::Error&) {
  }
  return 0;
}
