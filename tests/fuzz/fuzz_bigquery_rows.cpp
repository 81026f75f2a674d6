// Fuzz target: BigQuery's {"f":[{"v":...}]} rows through the connector's
// decoder. Input: {"schema": TableSchema, "rows": [...]}, or one row decoded
// with a fixed schema holding every type (nested RECORD, REPEATED). The
// documented refusal is sluice::Error; anything else is a finding.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list
#include "cell_decoder.hpp"
#include "field_schema.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>

namespace json = boost::json;

namespace {

const std::vector<bigquery::Field>& fixed_fields() {
  static const std::vector<bigquery::Field> fields = bigquery::parse_table_schema(json::parse(R"({"fields": [
    {"name": "i", "type": "INT64"}, {"name": "f", "type": "FLOAT64"}, {"name": "n", "type": "NUMERIC"},
    {"name": "bn", "type": "BIGNUMERIC"}, {"name": "b", "type": "BOOL"}, {"name": "s", "type": "STRING"},
    {"name": "by", "type": "BYTES"}, {"name": "d", "type": "DATE"}, {"name": "t", "type": "TIME"},
    {"name": "dt", "type": "DATETIME"}, {"name": "ts", "type": "TIMESTAMP"}, {"name": "j", "type": "JSON"},
    {"name": "g", "type": "GEOGRAPHY"}, {"name": "tags", "type": "STRING", "mode": "REPEATED"},
    {"name": "r", "type": "RECORD", "mode": "REPEATED", "fields": [
      {"name": "a", "type": "INT64", "mode": "REQUIRED"}, {"name": "ts", "type": "TIMESTAMP"}]}
  ]})"));
  return fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bigquery::parse_timestamp_micros(text);
  json::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return 0;
  try {
    if (value.is_object() && value.as_object().contains("schema") && value.as_object().contains("rows")) {
      auto fields = bigquery::parse_table_schema(value.at("schema"));
      if (!value.at("rows").is_array()) return 0;
      for (const auto& row : value.at("rows").as_array()) bigquery::decode_row(row, fields);
    } else {
      bigquery::decode_row(value, fixed_fields());
    }
  } catch (const sluice::Error&) {
  }
  return 0;
}
