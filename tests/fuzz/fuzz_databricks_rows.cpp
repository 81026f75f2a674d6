// Fuzz target: Databricks JSON_ARRAY rows through the connector's decoder.
// Input: {"columns": [...manifest columns...], "rows": [[...], ...]}, a chunk
// as an external link serves it (a JSON array of rows) decoded with a fixed
// schema holding every type, or anything else as such a chunk's body. The
// documented refusal is sluice::Error; anything else (a crash, an overflow,
// a record that is not JSON) is a finding.
// https://docs.databricks.com/api/workspace/statementexecution
#include "row_decoder.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    databricks::DecodedRows rows;
    json::error_code ec;
    json::value value = json::parse(text, ec);
    if (!ec && value.is_object() && value.as_object().contains("columns") && value.as_object().contains("rows")) {
      const auto columns = databricks::parse_columns(value.at("columns"));
      if (!value.at("rows").is_array()) return 0;
      databricks::decode_rows(value.at("rows").as_array(), columns, rows);
    } else {
      json::array last;
      databricks::decode_chunk(text, fixed_columns(), rows, last, "chunk");
    }
    check_records(rows);
  } catch (const sluice::Error&) {
  }
  return 0;
}
