// Fuzz target: BigQuery result pages through the connector's streaming
// decoder (page_decoder.hpp, what a sync runs), checked against the DOM
// decoder it replaced (cell_decoder.hpp, the reference). Input: a page
// ({"schema": TableSchema, "rows": [...]}, decoded with its own schema), a
// page without a schema or one row ({"f": [...]}), decoded with a fixed
// schema holding every type (nested RECORD, REPEATED). Both must refuse the
// same inputs with sluice::Error, or give the same records. A text naming a
// member twice in one object is only decoded, not compared: the streaming
// decoder refuses "rows", "schema", "f" or "v" twice (or fails on the first
// of them) where a DOM keeps the last. The same decoder writing typed cells
// (ABI 1.4, what a sync hands the host) must refuse the same pages and give
// records whose NDJSON meaning is, byte for byte, the text it writes.
// Anything else is a finding.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list
#include "cell_decoder.hpp"
#include "field_schema.hpp"
#include "page_decoder.hpp"
#include "tests/common/read_host.hpp"

#include <boost/json/basic_parser_impl.hpp>

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

// Counts the members of every object as written, duplicates included.
struct KeyCounter {
  static constexpr size_t max_object_size = size_t(-1), max_array_size = size_t(-1), max_key_size = size_t(-1),
                          max_string_size = size_t(-1);
  size_t keys = 0;
  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(size_t, json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, size_t, json::error_code&) { return ++keys, true; }
  bool on_string_part(json::string_view, size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

size_t dom_keys(const json::value& value) {
  size_t keys = 0;
  if (const auto* object = value.if_object()) {
    for (const auto& [key, member] : *object) keys += 1 + dom_keys(member);
  } else if (const auto* array = value.if_array()) {
    for (const auto& element : *array) keys += dom_keys(element);
  }
  return keys;
}

bool names_a_member_twice(std::string_view text, const json::value& dom) {
  json::basic_parser<KeyCounter> counter(json::parse_options{});
  json::error_code ec;
  counter.write_some(false, text.data(), text.size(), ec);
  return counter.handler().keys != dom_keys(dom);
}

// The records or the refusal of one decoder.
struct Outcome {
  std::optional<std::vector<json::value>> records;  // nullopt: refused
  std::string error;
  std::vector<std::string> lines;  // the records' text
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
      out.lines.emplace_back(text);
    });
    out.records = std::move(records);
  } catch (const sluice::Error& e) {
    out.error = e.what();
  }
  return out;
}

// The same page decoded as typed cells; lines are their NDJSON meaning.
Outcome typed(std::string_view body, const std::vector<bigquery::Field>* fixed) {
  Outcome out;
  sluice::test::ReadHost host;
  sluice::ConfiguredStream stream;
  stream.name = "rows";
  sluice::ReadContext ctx(host.api(), stream);
  bigquery::DecodeOptions options;
  options.cells = &ctx;
  try {
    bigquery::decode_page(body, fixed, {}, {}, options);
    ctx.flush();
    out.records.emplace();
    out.lines = host.lines;
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
  if (!value.is_object() || names_a_member_twice(text, value)) {
    if (value.is_object()) {
      streaming(text, &fixed_fields());
      return 0;
    }
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
  if (expected.records.has_value() != got.records.has_value()) std::abort();
  if (expected.records && *expected.records != *got.records) std::abort();
  const Outcome cells = typed(body, fixed);
  if (cells.records.has_value() != got.records.has_value()) std::abort();
  if (cells.records && cells.lines != got.lines) std::abort();
  return 0;
}
