// Fuzz target: BigQuery result pages through the connector's streaming
// decoder (page_decoder.hpp, what a sync runs), checked against the DOM
// decoder it replaced (cell_decoder.hpp, the reference). Input: a page
// ({"schema": TableSchema, "rows": [...]}, decoded with its own schema), a
// page without a schema or one row ({"f": [...]}), decoded with a fixed
// schema holding every type (nested RECORD, REPEATED). Both must refuse the
// same inputs with sluice::Error, or give the same records; the one allowed
// difference is that the streaming decoder refuses a member named twice
// ("rows", "schema", "f", "v"), where a DOM keeps the last. Anything else is
// a finding.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list
#include "cell_decoder.hpp"
#include "field_schema.hpp"
#include "page_decoder.hpp"

#include <sluice/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

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

// The records or the refusal of one decoder.
struct Outcome {
  std::optional<std::vector<json::value>> records;  // nullopt: refused
  std::string error;
};

// The DOM decoder over a parsed page.
Outcome reference(const json::object& page, const std::vector<bigquery::Field>* fixed) {
  Outcome out;
  try {
    std::vector<bigquery::Field> own;
    if (!fixed) {
      const auto* schema = page.if_contains("schema");
      own = bigquery::parse_table_schema(schema ? *schema : json::value());
    }
    std::vector<json::value> records;
    if (const auto* rows = page.if_contains("rows"); rows && rows->is_array()) {
      for (const auto& row : rows->get_array()) records.emplace_back(bigquery::decode_row(row, fixed ? *fixed : own));
    }
    out.records = std::move(records);
  } catch (const sluice::Error& e) {
    out.error = e.what();
  }
  return out;
}

Outcome streaming(std::string_view body, const std::vector<bigquery::Field>* fixed) {
  Outcome out;
  json::parse_options deep;
  deep.max_depth = 1024;  // a record nests its JSON columns deeper than they were alone
  try {
    std::vector<json::value> records;
    bigquery::decode_page(body, fixed, {}, [&](std::string_view text) {
      if (text.find('\n') != std::string_view::npos) std::abort();  // one NDJSON line each
      records.push_back(json::parse(text, {}, deep));                 // throws if not JSON: a finding
    });
    out.records = std::move(records);
  } catch (const sluice::Error& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bigquery::parse_timestamp_micros(text);
  json::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) {  // no reference to compare with; the streaming decoder must still only refuse it
    try {
      bigquery::decode_page(text, &fixed_fields(), {}, [](std::string_view) {});
    } catch (const sluice::Error&) {
    }
    return 0;
  }
  if (!value.is_object()) {
    if (!streaming(text, &fixed_fields()).error.empty()) return 0;
    std::abort();  // a page that is not an object must be refused
  }
  std::string body(text);
  json::object page = value.as_object();
  if (page.contains("f") && !page.contains("rows")) {  // one row
    body = "{\"rows\":[" + body + "]}";
    page = json::object{{"rows", json::array{value}}};
  }
  const std::vector<bigquery::Field>* fixed = page.contains("schema") ? nullptr : &fixed_fields();
  const Outcome expected = reference(page, fixed);
  const Outcome got = streaming(body, fixed);
  if (!got.records && got.error.find("twice") != std::string::npos) return 0;
  if (expected.records.has_value() != got.records.has_value()) std::abort();
  if (expected.records && *expected.records != *got.records) std::abort();
  return 0;
}
