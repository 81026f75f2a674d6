// Discovery: one stream per grid tab, named by its sheetId; columns from the
// header row (empty, duplicate and hostile headers), types from the sampled
// cells' values and number formats, two requests restricted with `fields`.
#include "sheets_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_test;

namespace {

const json::object& stream_named(const json::array& streams, const std::string& name) {
  for (const auto& stream : streams) {
    if (stream.at("name") == name.c_str()) return stream.as_object();
  }
  throw std::runtime_error("no stream " + name);
}

std::vector<std::string> column_names(const json::object& stream) {
  std::vector<std::string> names;
  for (const auto& [name, schema] : stream.at("json_schema").at("properties").as_object()) names.emplace_back(name);
  return names;
}

}  // namespace

TEST_CASE("discovery gives one stream per grid tab named sheet_<sheetId>, skipping chart sheets, in two requests with field masks") {
  SheetsFixture f;
  Sheet chart;
  chart.sheet_id = 77;
  chart.title = "Chart1";
  chart.type = "OBJECT";
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"id"}), {{number(1)}}), chart,
                                  sheet(184467, "Jon's Data", header({"name"}), {{text("Ann")}})}));
  f.write_connection();
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 2);
  CHECK(streams[0].at("name") == "sheet_0");
  CHECK(streams[1].at("name") == "sheet_184467");
  CHECK(streams[1].at("description") == "tab 'Jon's Data' (sheetId 184467) of spreadsheet 'Q2 Orders'");
  const auto gets = f.requests_ending(kSpreadsheetId);
  REQUIRE(gets.size() == 2);
  CHECK(gets[0].query("fields") ==
        "properties(title,timeZone),sheets.properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount))");
  CHECK_FALSE(gets[0].has_query("includeGridData"));
  CHECK(gets[1].query("includeGridData") == "true");
  // The quoted title with its apostrophe doubled reached the fake's A1 parser.
  std::vector<std::string> ranges;
  for (auto [it, end] = gets[1].query_params.equal_range("ranges"); it != end; ++it) ranges.push_back(it->second);
  CHECK(ranges == std::vector<std::string>{"Orders!1:201", "'Jon''s Data'!1:201"});
  for (const auto& exchange : f.exchanges()) CHECK(exchange.response.status == 200);
}

TEST_CASE("empty, duplicate and hostile headers get the documented names") {
  SheetsFixture f;
  const std::string hostile = "x\"; DROP TABLE sheet_0; --\n\t";
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"amount", "", "Amount", hostile, "_sluice_extra", "amount_2", "  "}),
                                        {{number(1), number(2), number(3), text("a"), text("b"), number(4), number(5), number(6)}})}));
  f.write_connection();
  const auto streams = f.discover_streams();
  CHECK(column_names(stream_named(streams, "sheet_0")) ==
        std::vector<std::string>{"amount", "column_2", "Amount_2", "x\"; DROP TABLE sheet_0; --", "column_5",
                                 "amount_2_2", "column_7", "column_8"});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  // The target folds the names into its identifiers; none collide, the table survives.
  CHECK(f.rows("SELECT group_concat(name, '|') FROM pragma_table_info('sheet_0') WHERE name NOT LIKE '\\_sluice%' ESCAPE '\\'") ==
        Rows{{"amount|column_2|amount_2|x_drop_table_sheet_0|column_5|amount_2_2|column_7|column_8"}});
  CHECK(f.rows("SELECT amount, column_2, amount_2, x_drop_table_sheet_0, column_5, amount_2_2, column_8 FROM sheet_0") ==
        Rows{{"1", "2", "3", "a", "b", "4", "6"}});
}

TEST_CASE("snake_case column names fold case and punctuation") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"Order ID", "Unit Price (EUR)", "order id"}), {{number(1), number(2), number(3)}})}));
  f.write_connection({}, {{"column_names", "snake_case"}});
  const auto streams = f.discover_streams();
  CHECK(column_names(stream_named(streams, "sheet_0")) ==
        std::vector<std::string>{"order_id", "unit_price_eur", "order_id_2"});
}

TEST_CASE("column types come from the values and number formats the sampled cells agree on - overrides win") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Orders",
      header({"id", "price", "share", "day", "at", "start", "vip", "note", "mixed", "blank", "code"}),
      {{number(1), number(9.5, "CURRENCY"), number(0.25, "PERCENT"), number(45413, "DATE"), number(45413.5, "DATE_TIME"),
        number(0.5, "TIME"), boolean(true), text("hi"), number(1), empty(), number(7)},
       {number(2), number(10, "CURRENCY"), number(1, "PERCENT"), number(45414, "DATE"), number(45414.25, "DATE_TIME"),
        number(0.75, "TIME"), boolean(false), text("yo"), text("x"), empty(), number(8)}})}));
  f.write_connection({}, {{"column_types", json::array{{{"sheet", "Orders"}, {"column", "code"}, {"type", "string"}}}}});
  const auto streams = f.discover_streams();
  const auto& properties = stream_named(streams, "sheet_0").at("json_schema").at("properties");
  auto type_of = [&](const char* name) { return json::serialize(properties.at(name)); };
  CHECK(type_of("id") == R"({"type":["integer","null"]})");
  CHECK(type_of("price") == R"({"type":["number","null"]})");
  CHECK(type_of("share") == R"({"type":["number","null"]})");
  CHECK(type_of("day") == R"({"type":["string","null"],"format":"date"})");
  CHECK(type_of("at") == R"({"type":["string","null"],"format":"date-time"})");
  CHECK(type_of("start") == R"({"type":["string","null"],"format":"time"})");
  CHECK(type_of("vip") == R"({"type":["boolean","null"]})");
  CHECK(type_of("note") == R"({"type":["string","null"]})");
  CHECK(type_of("mixed") == R"({"type":["string","null"]})");
  CHECK(type_of("code") == R"({"type":["string","null"]})");
}

TEST_CASE("an override naming a column the sheet lacks is a config error naming it") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"id"}), {{number(1)}})}));
  f.write_connection({}, {{"column_types", json::array{{{"sheet", "sheet_0"}, {"column", "amout"}, {"type", "number"}}}}});
  auto result = f.sluice({"discover", f.connection_path()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("gsheets discover: config.column_types[0]: sheet 'Orders' has no column 'amout' [config]"));
}

TEST_CASE("header_row moves the header down: rows above it are ignored and data starts below it") {
  SheetsFixture f;
  Sheet report;
  report.sheet_id = 3;
  report.title = "Report";
  report.rows = {{text("Q2 report, do not edit")}, {}, {text("id"), text("city")}, {number(1), text("Oslo")}, {number(2), text("Lima")}};
  f.fake->add(shared_spreadsheet({report}));
  f.write_connection({}, {{"header_row", 3}});
  const auto streams = f.discover_streams();
  CHECK(column_names(stream_named(streams, "sheet_3")) == std::vector<std::string>{"id", "city"});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id, city FROM sheet_3 ORDER BY id") == Rows{{"1", "Oslo"}, {"2", "Lima"}});
  CHECK(f.requests_ending("/values:batchGet").back().query("ranges") == "Report!A4:B1000");
}
