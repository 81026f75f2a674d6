// The streaming page decoder against the DOM decoder (cell_decoder.hpp),
// which stays the reference: every fixture table's rows, in both TIMESTAMP
// encodings, give the same records; pages keep their other members; the
// last row's cursor and key values come from the cells as decoded.
#include "cell_decoder.hpp"
#include "cursor.hpp"
#include "fixture_tables.hpp"
#include "page_decoder.hpp"

#include "common/read_host.hpp"

#include <sluice/error.hpp>

#include <catch2/catch.hpp>

using namespace bigquery;
using bigquery_test::all_types_table;
using bigquery_test::orders_table;

namespace {

std::vector<Field> fields_of(const bigquery_fake::FakeTable& table) {
  return parse_table_schema(json::object{{"fields", table.fields}});
}

// The records of a page body, as text.
std::vector<std::string> records_of(const std::string& body, const std::vector<Field>* fields,
                                    DecodedPage* page = nullptr, const std::vector<std::string>& capture = {}) {
  std::vector<std::string> records;
  DecodedPage decoded = decode_page(body, fields, capture, [&](std::string_view r) { records.emplace_back(r); });
  if (page) *page = std::move(decoded);
  return records;
}

// The records of a page body decoded as typed cells (ABI 1.4), each as the
// NDJSON line the same record means; every batch went through
// emit_record_batch.
std::vector<std::string> typed_records_of(const std::string& body, const std::vector<Field>* fields,
                                          sluice::test::ReadHost& host) {
  sluice::ConfiguredStream stream;
  stream.name = "rows";
  sluice::ReadContext ctx(host.api(), stream);
  DecodeOptions options;
  options.cells = &ctx;
  decode_page(body, fields, {}, {}, options);
  ctx.flush();
  for (const std::string& event : host.events) CHECK(event.rfind("cells ", 0) == 0);
  return host.lines;
}

std::string page_of(const json::value& row) { return "{\"rows\":[" + json::serialize(row) + "]}"; }

// Each row, through both decoders: the same JSON value, and one line of text.
void check_same_records(const bigquery_fake::FakeTable& table) {
  const auto fields = fields_of(table);
  for (bool float_timestamps : {false, true}) {
    for (const auto& wire : table.rows) {
      const json::value row = float_timestamps ? bigquery_fake::with_float_timestamps(wire, table.fields) : wire;
      INFO(json::serialize(row));
      const std::string text = encode_row(row, fields);
      CHECK(text.find('\n') == std::string::npos);
      CHECK(json::parse(text) == json::value(decode_row(row, fields)));
      sluice::test::ReadHost host;
      CHECK(typed_records_of(page_of(row), &fields, host) == std::vector<std::string>{text});
    }
  }
}

}  // namespace

TEST_CASE("every type of the fixture tables encodes to the record the DOM decoder gives, in both timestamp encodings") {
  check_same_records(all_types_table());
  check_same_records(orders_table(1, 50, 3));
}

TEST_CASE("the cell decoder's own cases encode to the same records") {
  auto fields = parse_table_schema(json::parse(R"({"fields":[
      {"name":"i","type":"INTEGER"},{"name":"bad_i","type":"INT64"},{"name":"f","type":"FLOAT"},
      {"name":"whole","type":"FLOAT64"},{"name":"nan","type":"FLOAT64"},{"name":"inf","type":"FLOAT64"},
      {"name":"ok","type":"BOOLEAN"},{"name":"not_bool","type":"BOOL"},{"name":"ts","type":"TIMESTAMP"},
      {"name":"ts_text","type":"TIMESTAMP"},{"name":"j","type":"JSON"},{"name":"j_bad","type":"JSON"},
      {"name":"j_spaced","type":"JSON"},{"name":"s","type":"STRING"},{"name":"none","type":"STRING"},
      {"name":"ids","type":"INTEGER","mode":"REPEATED"},{"name":"empty","type":"STRING","mode":"REPEATED"},
      {"name":"missing","type":"STRING"},{"name":"odd_cell","type":"STRING"}]})"));
  const json::value row = json::parse(R"J({"f":[{"v":"9223372036854775807"},{"v":"12abc"},{"v":"1.0E20"},
      {"v":"5"},{"v":"NaN"},{"v":"-Infinity"},{"v":"true"},{"v":"yes"},{"v":"1.714550000123456E9"},
      {"v":"2024-05-01T07:53:20.123456Z"},{"v":"{\"k\":[1,2.5,-0],\"s\":\"x\\u0001\\n\",\"e\":{}}"},{"v":"{nope"},
      {"v":" [ 1 ,\n 2 ] "},{"v":"tab\there \"quoted\" \\ back ☃"},{"v":null},
      {"v":[{"v":"1"},{"v":"9007199254740993"},{"x":1},"odd"]},{"v":null},{},[1,2]]})J");
  const std::string text = encode_row(row, fields);
  CHECK(text.find('\n') == std::string::npos);
  CHECK(json::parse(text) == json::value(decode_row(row, fields)));
  CHECK_THAT(text, Catch::Contains(R"("j_spaced":[1,2])"));
  CHECK_THAT(text, Catch::Contains(R"("whole":5.0)"));

  // As typed cells (ABI 1.4): the same record, each value in the kind of
  // cell its column and text call for.
  sluice::test::ReadHost host;
  CHECK(typed_records_of(page_of(row), &fields, host) == std::vector<std::string>{text});
  REQUIRE(host.batches.size() == 1);
  std::vector<sluice_cell_kind> kinds;
  for (const sluice_cell& cell : host.batches[0].cells) kinds.push_back(cell.kind);
  CHECK(kinds == std::vector<sluice_cell_kind>{
                     SLUICE_CELL_INT64, SLUICE_CELL_STRING, SLUICE_CELL_DOUBLE, SLUICE_CELL_DOUBLE,
                     SLUICE_CELL_STRING, SLUICE_CELL_STRING, SLUICE_CELL_BOOL, SLUICE_CELL_STRING,
                     SLUICE_CELL_TIMESTAMP, SLUICE_CELL_STRING, SLUICE_CELL_JSON, SLUICE_CELL_STRING,
                     SLUICE_CELL_JSON, SLUICE_CELL_STRING, SLUICE_CELL_NULL, SLUICE_CELL_JSON,
                     SLUICE_CELL_JSON, SLUICE_CELL_NULL, SLUICE_CELL_NULL});
  CHECK(host.batches[0].fields.front() == "i");
  CHECK(host.batches[0].cells[8].value.integer == 1'714'550'000'123'456);
}

TEST_CASE("typed rows: a TIMESTAMP outside years 0001-9999 is a text cell, and what the host answers an emit stops "
          "the decoding") {
  auto fields = parse_table_schema(json::parse(R"({"fields":[{"name":"ts","type":"TIMESTAMP"}]})"));
  sluice::test::ReadHost host;
  const auto lines = typed_records_of(R"({"rows":[{"f":[{"v":"253402300800000000"}]}]})", &fields, host);
  REQUIRE(host.batches.size() == 1);
  CHECK(host.batches[0].cells[0].kind == SLUICE_CELL_STRING);
  CHECK(lines == std::vector<std::string>{R"({"ts":"10000-01-01T00:00:00.000000Z"})"});

  // 2,500 rows: the context hands over 2,000 of them during the page.
  json::array rows;
  for (int i = 0; i < 2500; ++i) rows.push_back(json::parse(R"({"f":[{"v":"0"}]})"));
  const std::string body = json::serialize(json::object{{"rows", rows}});
  sluice::test::ReadHost refusing;
  refusing.answer = SLUICE_CANCELLED;
  sluice::ConfiguredStream stream;
  stream.name = "rows";
  sluice::ReadContext ctx(refusing.api(), stream);
  DecodeOptions options;
  options.cells = &ctx;
  CHECK_THROWS_AS(decode_page(body, &fields, {}, {}, options), sluice::Cancelled);
  CHECK(refusing.events == std::vector<std::string>{"cells 2000"});
}

TEST_CASE("a page's rows become one record each, its other members are kept, and the last row's cursor values are captured") {
  const auto table = orders_table(1, 3);
  json::object body{{"kind", "bigquery#getQueryResultsResponse"},
                    {"schema", {{"fields", table.fields}}},
                    {"totalRows", "3"},
                    {"pageToken", "next"},
                    {"rows", json::array(table.rows.begin(), table.rows.end())},
                    {"jobComplete", true}};
  DecodedPage page;
  auto records = records_of(json::serialize(body), nullptr, &page, {"updated_at", "id"});
  REQUIRE(records.size() == 3);
  CHECK(records[0] == R"({"id":1,"updated_at":"2024-05-01T00:00:01.000000Z","amount":"1.50","status":"new"})");
  CHECK(page.rows == 3);
  CHECK(page.members == json::object{{"kind", "bigquery#getQueryResultsResponse"}, {"totalRows", "3"},
                                     {"pageToken", "next"}, {"jobComplete", true}});
  REQUIRE(page.schema.has_value());
  CHECK(page.schema->size() == 4);
  REQUIRE(page.last.size() == 2);
  CHECK(page.last[0] == std::to_string(bigquery_test::kMay1Micros + 3'000'000));
  CHECK(page.last[1] == "3");

  // The checkpoint from the captured wire values is the one from the record.
  sluice::ConfiguredStream stream{"sales", "orders", sluice::SyncMode::incremental_append, {"updated_at"}, {{"id"}}, nullptr};
  auto read = plan_incremental_read(stream, *page.schema);
  CHECK(checkpoint_after(read, page.last) ==
        checkpoint_after(read, decode_row(table.rows.back(), *page.schema)));
}

TEST_CASE("rows listed before the schema are decoded with it, and a page without rows has none") {
  const auto table = orders_table(1, 2);
  const std::string rows = json::serialize(json::array(table.rows.begin(), table.rows.end()));
  const std::string schema = json::serialize(json::object{{"fields", table.fields}});
  DecodedPage page;
  auto records = records_of(R"({"rows":)" + rows + R"(,"totalRows":"2","schema":)" + schema + "}", nullptr, &page);
  CHECK(records.size() == 2);
  CHECK(page.rows == 2);
  CHECK(page.members == json::object{{"totalRows", "2"}});
  CHECK(records_of(R"({"jobComplete":false,"jobReference":{"jobId":"j1"}})", nullptr, &page).empty());
  CHECK(page.members.at("jobReference").at("jobId") == "j1");
  CHECK_FALSE(page.schema.has_value());
}

TEST_CASE("rows that do not have their schema's shape are source errors with the DOM decoder's messages") {
  auto fields = parse_table_schema(json::parse(R"({"fields":[{"name":"a","type":"STRING"},
      {"name":"r","type":"RECORD","fields":[{"name":"x","type":"STRING"}]},{"name":"t","type":"STRING","mode":"REPEATED"}]})"));
  auto error_of = [&](const char* rows) {
    try {
      records_of(std::string(R"({"rows":)") + rows + "}", &fields);
    } catch (const sluice::Error& e) {
      CHECK(e.kind() == sluice::ErrorKind::source);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(R"([{"f":[{"v":"1"}]}])") == "a result row does not have the 3 cells of its schema");
  CHECK(error_of(R"([{"f":[{"v":"1"},{"v":null},{"v":null},{"v":null}]}])") ==
        "a result row does not have the 3 cells of its schema");
  CHECK(error_of(R"([{"g":[]}])") == "a result row does not have the 3 cells of its schema");
  CHECK(error_of(R"(["row"])") == "a result row does not have the 3 cells of its schema");
  CHECK(error_of(R"([{"f":[{"v":1},{"v":null},{"v":null}]}])") == "the value of field a is not a string");
  CHECK(error_of(R"([{"f":[{"v":"1"},{"v":"x"},{"v":null}]}])") == "the value of RECORD field r is not an object");
  CHECK(error_of(R"([{"f":[{"v":"1"},{"v":null},{"v":"x"}]}])") == "the value of REPEATED field t is not an array");
  CHECK(error_of(R"([{"f":[{"v":"1"},{"v":{"f":[]}},{"v":null}]}])") ==
        "a result row does not have the 1 cells of its schema");
  CHECK(error_of(R"([{"f":[{"v":"1","v":"2"},{"v":null},{"v":null}]}])") == "a result cell names its value (v) twice");
  CHECK(error_of(R"([], "rows": [])") == "a result page lists its rows twice");
  CHECK_THROWS_WITH(records_of("[1]", &fields), "the result page is not a JSON object");
}

TEST_CASE("what the record sink throws stops the decoding and passes through") {
  const auto table = orders_table(1, 5);
  const auto fields = fields_of(table);
  json::object body{{"rows", json::array(table.rows.begin(), table.rows.end())}};
  int seen = 0;
  CHECK_THROWS_AS(decode_page(json::serialize(body), &fields, {},
                              [&](std::string_view) {
                                if (++seen == 2) throw sluice::Cancelled();
                              }),
                  sluice::Cancelled);
  CHECK(seen == 2);
}

TEST_CASE("query rows decode as arrays in column order, nested records still objects, and the schema is announced "
          "before the first row even when the page lists its rows first") {
  const std::string rows = R"("rows":[{"f":[{"v":"7"},{"v":{"f":[{"v":"Ann"}]}},{"v":[{"v":"a"}]}]}])";
  const std::string schema = R"("schema":{"fields":[{"name":"id","type":"INTEGER"},)"
                             R"({"name":"who","type":"RECORD","fields":[{"name":"name","type":"STRING"}]},)"
                             R"({"name":"tags","type":"STRING","mode":"REPEATED"}]})";
  for (const std::string& body : {"{" + schema + "," + rows + "}", "{" + rows + "," + schema + "}"}) {
    INFO(body);
    std::vector<std::string> events;
    DecodeOptions options;
    options.shape = RowShape::array;
    options.on_schema = [&](const std::vector<Field>& fields) { events.push_back("schema of " + std::to_string(fields.size())); };
    decode_page(body, nullptr, {}, [&](std::string_view row) { events.emplace_back(row); }, options);
    CHECK(events == std::vector<std::string>{"schema of 3", R"([7,{"name":"Ann"},["a"]])"});
  }
}
