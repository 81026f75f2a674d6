// Typed records (ABI 1.4) on the host: the record mapper makes of each
// typed record exactly the row it makes of the same record as NDJSON (the
// text the SDK sends a host older than 1.4), for every kind of cell into
// every column type, unknown fields and values that do not fit included;
// and a batch that breaks plugin.h's contract is refused in one line
// naming the record and the field, before any of it is read.
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/record_batch.hpp"
#include "host/sync/record_mapper.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace sluice::host;

namespace {

constexpr const char* kExtractedAt = "2026-12-07T10:00:00.000000Z";

// Builds a batch cell by cell, as a plugin's SDK would.
struct BatchBuilder {
  RecordBatchCopy batch;
  explicit BatchBuilder(std::vector<std::string> fields) { batch.fields = std::move(fields); }
  BatchBuilder& cell(sluice_cell_kind kind, int64_t integer = 0) {
    sluice_cell c{};
    c.kind = kind;
    c.value.integer = integer;
    batch.cells.push_back(c);
    return *this;
  }
  BatchBuilder& real(double value) {
    sluice_cell c{};
    c.kind = SLUICE_CELL_DOUBLE;
    c.value.real = value;
    batch.cells.push_back(c);
    return *this;
  }
  BatchBuilder& text(sluice_cell_kind kind, std::string_view text) {
    sluice_cell c{};
    c.kind = kind;
    c.value.offset = batch.text.size();
    c.size = static_cast<uint32_t>(text.size());
    batch.text.append(text);
    batch.cells.push_back(c);
    return *this;
  }
  BatchBuilder& end() {
    ++batch.records;
    REQUIRE(batch.cells.size() == batch.records * batch.fields.size());
    return *this;
  }
};

// A cell as comparable text: its kind and value.
std::string describe(const RowBatch& batch, const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::null: return "null";
    case Cell::Kind::integer: return "integer " + std::to_string(cell.integer);
    case Cell::Kind::real: return "real " + std::to_string(cell.real) + (std::signbit(cell.real) ? " (-)" : "");
    case Cell::Kind::text: return "text " + std::string(batch.text(cell));
    case Cell::Kind::timestamp: return "timestamp " + std::to_string(cell.integer);
  }
  return "?";
}

std::vector<std::vector<std::string>> rows_of(const RowBatch& batch) {
  std::vector<std::vector<std::string>> rows;
  for (size_t r = 0; r < batch.rows; ++r) {
    rows.emplace_back();
    for (size_t c = 0; c < batch.width; ++c) rows.back().push_back(describe(batch, batch.at(r, c)));
  }
  return rows;
}

std::vector<ColumnDef> columns_with(ColumnType type) {
  std::vector<ColumnDef> columns{{"v", "v", type}};
  for (const auto& meta : metadata_columns()) columns.push_back(meta);
  return columns;
}

// Every kind of cell, with values at the edges of the typing rules.
RecordBatchCopy hostile_batch() {
  BatchBuilder b({"v", "unknown"});
  auto both = [&](auto&& add) {
    add();
    add();
    b.end();
  };
  both([&] { b.cell(SLUICE_CELL_NULL); });
  both([&] { b.cell(SLUICE_CELL_INT64, 42); });
  both([&] { b.cell(SLUICE_CELL_INT64, std::numeric_limits<int64_t>::min()); });
  both([&] { b.cell(SLUICE_CELL_INT64, 9007199254740993); });  // past 2^53: no exact double
  both([&] { b.real(2.0); });
  both([&] { b.real(-0.0); });
  both([&] { b.real(0.1); });
  both([&] { b.real(1e300); });
  both([&] { b.cell(SLUICE_CELL_BOOL, 1); });
  both([&] { b.cell(SLUICE_CELL_BOOL, 0); });
  for (const char* text : {"", "x", "123", "-7", "1.5", "1e3", "true", "false", "2026-02-28", "2026-02-30",
                           "2026-12-07T10:00:00+02:00", "tab\t\"q\" ☃", "\x1f#1e400"}) {
    both([&] { b.text(SLUICE_CELL_STRING, text); });
  }
  both([&] { b.cell(SLUICE_CELL_TIMESTAMP, 0); });
  both([&] { b.cell(SLUICE_CELL_TIMESTAMP, -62135596800000000); });  // 0001-01-01T00:00:00Z
  both([&] { b.cell(SLUICE_CELL_TIMESTAMP, 1765101600123456); });
  for (const char* json : {R"({"a":1.50,"b":[1,"x",null,{"c":true}]})", "[]", "[1, 2 ,3]", "\"quoted\"", "12",
                           "-0.5", "true", "null", "1e400", R"({"big":123456789012345678901234567890})",
                           "9007199254740993"}) {
    both([&] { b.text(SLUICE_CELL_JSON, json); });
  }
  return b.batch;
}

}  // namespace

TEST_CASE("a typed record becomes the same row as the same record in NDJSON, for every kind of cell into every "
          "column type") {
  const RecordBatchCopy cells = hostile_batch();
  const std::string ndjson = records_as_ndjson(cells);
  for (ColumnType type : {ColumnType::text, ColumnType::integer, ColumnType::number, ColumnType::boolean,
                          ColumnType::timestamp, ColumnType::date, ColumnType::json}) {
    INFO("column type " << to_string(type));
    RecordMapper from_text(columns_with(type), "sync-1");
    RecordMapper from_cells(columns_with(type), "sync-1");
    const RowBatch expected = from_text.map(ndjson, kExtractedAt);
    const RowBatch got = from_cells.map_cells(cells, kExtractedAt);
    REQUIRE(expected.rows == cells.records);
    const auto expected_rows = rows_of(expected), got_rows = rows_of(got);
    for (size_t r = 0; r < expected_rows.size(); ++r) {
      INFO("record " << r + 1);
      CHECK(got_rows.at(r) == expected_rows[r]);
    }
    CHECK(from_cells.uncast_fields() == from_text.uncast_fields());
    CHECK(from_cells.records_mapped() == cells.records);
  }
}

TEST_CASE("the NDJSON a typed batch means is one JSON object per record, fields in order") {
  BatchBuilder b({"id", "at", "ok", "score", "tags", "name"});
  b.cell(SLUICE_CELL_INT64, 7).cell(SLUICE_CELL_TIMESTAMP, 1765101600000001).cell(SLUICE_CELL_BOOL, 0).real(2);
  b.text(SLUICE_CELL_JSON, "[\"a\"]").cell(SLUICE_CELL_NULL).end();
  CHECK(records_as_ndjson(b.batch) ==
        "{\"id\":7,\"at\":\"2025-12-07T10:00:00.000001Z\",\"ok\":false,\"score\":2.0,\"tags\":[\"a\"],\"name\":null}\n");
}

TEST_CASE("a STRING cell that is not UTF-8 and a JSON cell that is not JSON are refused naming the record and field") {
  RecordMapper mapper(columns_with(ColumnType::text), "sync-1");
  BatchBuilder bad_text({"v"});
  bad_text.text(SLUICE_CELL_STRING, "ok").end().text(SLUICE_CELL_STRING, "caf\xc3").end();
  CHECK_THROWS_WITH(mapper.map_cells(bad_text.batch, kExtractedAt),
                    "record 2 of the batch, field v: the text is not UTF-8");
  BatchBuilder bad_json({"v"});
  bad_json.text(SLUICE_CELL_JSON, "{\"a\":").end();
  CHECK_THROWS_WITH(mapper.map_cells(bad_json.batch, kExtractedAt),
                    Catch::StartsWith("record 1 of the batch, field v: the JSON cell is not valid JSON ("));
}

TEST_CASE("a typed batch that breaks plugin.h's contract is refused as the plugin's bug, in one line naming the "
          "record and the field") {
  std::vector<sluice_str> names{{"a", 1}, {"b", 1}};
  std::vector<sluice_cell> cells(4);
  for (auto& cell : cells) cell.kind = SLUICE_CELL_INT64;
  const std::string text = "abc";
  sluice_record_batch batch{};
  batch.struct_size = sizeof(batch);
  batch.field_count = 2;
  batch.fields = names.data();
  batch.record_count = 2;
  batch.cells = cells.data();
  batch.text = {text.data(), text.size()};
  const RecordBatchCopy copy = copy_record_batch(&batch);
  CHECK(copy.records == 2);
  CHECK(copy.fields == std::vector<std::string>{"a", "b"});
  CHECK(copy.text == "abc");

  auto refusal = [&](auto&& change) {
    sluice_record_batch broken = batch;
    std::vector<sluice_cell> broken_cells = cells;
    std::vector<sluice_str> broken_names = names;
    broken.cells = broken_cells.data();
    broken.fields = broken_names.data();
    change(broken, broken_cells, broken_names);
    try {
      copy_record_batch(&broken);
    } catch (const PluginError& e) {
      CHECK(e.kind() == ErrorKind::internal);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string prefix = "a typed record batch breaks plugin.h's contract: ";
  CHECK(refusal([](auto& b, auto&, auto&) { b.struct_size = offsetof(sluice_record_batch, text); }) ==
        prefix + "no batch, or one older than ABI 1.4");
  CHECK(refusal([](auto&, auto& c, auto&) {
          c[3].kind = SLUICE_CELL_STRING;
          c[3].value.offset = 2;
          c[3].size = 2;
        }) == prefix + "record 2 of the batch, field b: a cell's text lies outside the batch's text");
  CHECK(refusal([](auto&, auto& c, auto&) {
          c[1].kind = SLUICE_CELL_JSON;
          c[1].value.offset = std::numeric_limits<uint64_t>::max();
          c[1].size = 1;
        }) == prefix + "record 1 of the batch, field b: a cell's text lies outside the batch's text");
  CHECK(refusal([](auto&, auto& c, auto&) { c[2].kind = 99; }) ==
        prefix + "record 2 of the batch, field a: a cell has an unknown kind");
  CHECK(refusal([](auto&, auto& c, auto&) {
          c[0].kind = SLUICE_CELL_BOOL;
          c[0].value.integer = 2;
        }) == prefix + "record 1 of the batch, field a: a BOOL cell is neither 0 nor 1");
  CHECK(refusal([](auto&, auto& c, auto&) {
          c[0].kind = SLUICE_CELL_DOUBLE;
          c[0].value.real = std::nan("");
        }) == prefix + "record 1 of the batch, field a: a DOUBLE cell is not finite");
  CHECK(refusal([](auto&, auto& c, auto&) {
          c[0].kind = SLUICE_CELL_TIMESTAMP;
          c[0].value.integer = 253402300800000000;  // 10000-01-01
        }) == prefix + "record 1 of the batch, field a: a TIMESTAMP cell is outside years 0001-9999");
  CHECK(refusal([](auto&, auto&, auto& n) { n[1] = {"a", 1}; }) == prefix + "field a is named twice");
  CHECK(refusal([](auto& b, auto&, auto&) { b.cells = nullptr; }) ==
        prefix + "an array is NULL although its count is not 0");
  CHECK(refusal([](auto& b, auto&, auto&) { b.field_count = 0; }) == prefix + "records without fields");
  CHECK(refusal([](auto& b, auto&, auto&) { b.record_count = std::numeric_limits<uint64_t>::max() / 2; }) ==
        prefix + "more records than memory holds");
}
