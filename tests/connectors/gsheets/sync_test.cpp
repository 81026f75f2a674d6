// Syncs through the CLI: typed values (dates, times, date-times, currency,
// percentages, booleans, empty and ragged cells), a renamed tab, incremental
// and dedup modes, a 100,000-row sheet within quota, an API key on a public sheet.
#include "sheets_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_test;

namespace {

Sheet typed_sheet() {
  return sheet(0, "Orders", header({"id", "name", "price", "share", "day", "at", "start", "vip"}),
               {{number(1), text("Ann"), number(9.99, "CURRENCY", "$9.99"), number(0.25, "PERCENT", "25%"),
                 number(45413, "DATE"), number(45413.520833333336, "DATE_TIME"), number(0.5, "TIME"), boolean(true)},
                {number(2), text("Bob")},                                               // ragged: trailing cells omitted
                {},                                                                     // an empty row inside: no record
                {number(3), empty(), number(10, "CURRENCY"), empty(), number(2, "DATE"), // 1900-01-01 (serial 2)
                 number(45658.999999, "DATE_TIME"), number(1.5, "TIME"), boolean(false)}});
}

}  // namespace

TEST_CASE("typed values land exactly: serial dates from 1899-12-30, times, currency, percentages, empty cells as NULL") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({typed_sheet()}));
  f.write_connection();
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id, name, price, share, day, at, start, vip FROM sheet_0 ORDER BY id") ==
        Rows{{"1", "Ann", "9.99", "0.25", "2024-05-01", "2024-05-01T12:30:00.000000Z", "12:00:00", "1"},
             {"2", "Bob", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
             {"3", "NULL", "10.0", "NULL", "1900-01-01", "2025-01-01T23:59:59.914000Z", "36:00:00", "0"}});
  CHECK(f.rows("SELECT count(*) FROM sheet_0 WHERE day = '1970-01-01'") == Rows{{"0"}});
  // One window of rows, asked for as documented.
  const auto reads = f.requests_ending("/values:batchGet");
  REQUIRE(reads.size() == 1);
  CHECK(reads[0].query("ranges") == "Orders!A2:H1000");
  CHECK(reads[0].query("valueRenderOption") == "UNFORMATTED_VALUE");
  CHECK(reads[0].query("dateTimeRenderOption") == "SERIAL_NUMBER");
  CHECK(reads[0].query("majorDimension") == "ROWS");
}

TEST_CASE("a renamed tab keeps its table and state, with an info line") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(5, "Orders", header({"id", "v"}), {{number(1), text("a")}, {number(2), text("b")}})}));
  f.write_connection({stream_selection("sheet_5", "incremental_append", "id")});
  REQUIRE(f.sync().exit_code == 0);
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) {
    s.sheets[0].title = "Orders 2024";
    s.sheets[0].rows.push_back({number(3), text("c")});
  });
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.all(), Catch::Contains("sheet 5 was renamed from 'Orders' to 'Orders 2024': stream sheet_5 keeps its table and state"));
  CHECK(f.rows("SELECT id, v FROM sheet_5 ORDER BY id") == Rows{{"1", "a"}, {"2", "b"}, {"3", "c"}});
  CHECK(f.requests_ending("/values:batchGet").back().query("ranges") == "'Orders 2024'!A2:B1000");
}

TEST_CASE("incremental dedup reads the whole tab and upserts every row by the chosen key, edited rows included") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"id", "updated", "v"}),
                                        {{number(1), number(45413, "DATE"), text("a")}, {number(2), number(45414, "DATE"), text("b")}})}));
  f.write_connection({stream_selection("sheet_0", "incremental_append_dedup", "updated", "id")});
  REQUIRE(f.sync().exit_code == 0);
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) {
    s.sheets[0].rows[1] = {number(1), number(45415, "DATE"), text("a2")};  // edited: newer cursor
    s.sheets[0].rows[2][2] = text("b2");                                   // edited, cursor unchanged
    s.sheets[0].rows.push_back({number(3), number(45416, "DATE"), text("c")});
  });
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(f.rows("SELECT id, updated, v FROM sheet_0 ORDER BY id") ==
        Rows{{"1", "2024-05-03", "a2"}, {"2", "2024-05-02", "b2"}, {"3", "2024-05-04", "c"}});
  auto state = f.sluice({"state", f.connection_path(), "--json"});
  CHECK_THAT(state.out, Catch::Contains(R"("state_text": "{\"cursor_field\":[\"updated\"],\"cursor\":\"2024-05-04\",\"sheet_id\":0,\"title\":\"Orders\"}")"));
}

TEST_CASE("incremental append emits only rows whose cursor passed the checkpoint, skipping rows without one") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Log", header({"at", "event"}),
                                        {{number(45413.25, "DATE_TIME"), text("a")}, {number(45413.5, "DATE_TIME"), text("b")}})}));
  f.write_connection({stream_selection("sheet_0", "incremental_append", "at")});
  REQUIRE(f.sync().exit_code == 0);
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) {
    s.sheets[0].rows[1][1] = text("a-edited");  // below the checkpoint: not read again
    s.sheets[0].rows.push_back({number(45413.75, "DATE_TIME"), text("c")});
    s.sheets[0].rows.push_back({empty(), text("no time")});
  });
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.all(), Catch::Contains("1 rows of tab 'Log' have no value in cursor column at and were skipped"));
  CHECK(f.rows("SELECT at, event FROM sheet_0 ORDER BY at") == Rows{{"2024-05-01T06:00:00.000000Z", "a"},
                                                                    {"2024-05-01T12:00:00.000000Z", "b"},
                                                                    {"2024-05-01T18:00:00.000000Z", "c"}});
}

TEST_CASE("a sheet of 100,000 rows is read in windows under 2 MB, well within 60 read requests a minute") {
  SheetsFixture f;
  std::vector<std::vector<Cell>> rows;
  rows.reserve(100'000);
  for (int i = 1; i <= 100'000; ++i) rows.push_back({number(i), text("customer-" + std::to_string(i)), number(i * 0.5, "CURRENCY")});
  Sheet big = sheet(0, "Big", header({"id", "name", "amount"}), std::move(rows));
  big.row_count = 100'001;
  f.fake->add(shared_spreadsheet({big}));
  f.write_connection({}, {{"rows_per_request", 50000}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(amount) FROM sheet_0") == Rows{{"100000", "100000", "2500025000.0"}});
  const auto reads = f.requests_ending("/values:batchGet");
  CHECK(reads.size() == 2);  // 50,000 rows of ~35 bytes: 1.7 MB each
  CHECK(reads[0].query("ranges") == "Big!A2:C50001");
  CHECK(reads[1].query("ranges") == "Big!A50002:C100001");
  CHECK(f.fake->read_requests() <= 6);
  CHECK(f.fake->refused_for_quota() == 0);
}

TEST_CASE("windows shrink so an answer stays under 2 MB when rows are wide") {
  SheetsFixture f;
  std::vector<std::vector<Cell>> rows;
  for (int i = 1; i <= 3000; ++i) rows.push_back({number(i), text(std::string(2000, 'x'))});
  Sheet wide = sheet(0, "Wide", header({"id", "blob"}), std::move(rows));
  wide.row_count = 3001;
  f.fake->add(shared_spreadsheet({wide}));
  f.write_connection({}, {{"rows_per_request", 1000}});
  REQUIRE(f.sync().exit_code == 0);
  const auto reads = f.requests_ending("/values:batchGet");
  REQUIRE(reads.size() == 4);
  CHECK(reads[0].query("ranges") == "Wide!A2:B1001");
  CHECK(reads[1].query("ranges") == "Wide!A1002:B1946");  // 945 rows: 1.9 MB at the first answer's 2,009 bytes a row
  std::vector<size_t> sizes;
  for (const auto& exchange : f.exchanges()) {
    if (exchange.request.path.ends_with("/values:batchGet")) sizes.push_back(exchange.response.body.size());
  }
  REQUIRE(sizes.size() == 4);
  CHECK(sizes[0] > 2'000'000);  // the configured 1,000 rows overshoot once
  for (size_t i = 1; i < sizes.size(); ++i) CHECK(sizes[i] <= 2'000'000);
  CHECK(f.rows("SELECT count(*) FROM sheet_0") == Rows{{"3000"}});
}

TEST_CASE("an API key reads a public spreadsheet, passing the key as ?key= and no bearer token") {
  SheetsFixture f;
  Spreadsheet spreadsheet = shared_spreadsheet({sheet(0, "Orders", header({"id"}), {{number(1)}, {number(2)}})});
  spreadsheet.shared_with.clear();
  spreadsheet.public_link = true;
  f.fake->add(spreadsheet);
  f.write_api_key_connection();
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM sheet_0") == Rows{{"2"}});
  CHECK(f.fake->tokens_issued() == 0);
  for (const auto& request : f.server->requests()) {
    CHECK(request.query("key") == kApiKey);
    CHECK(request.header("Authorization").empty());
  }
  CHECK_THAT(run.all(), !Catch::Contains(kApiKey));
}

TEST_CASE("a spreadsheet URL in the config reads the same spreadsheet") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"id"}), {{number(1)}})}));
  f.write_connection({}, {{"spreadsheet", std::string("https://docs.google.com/spreadsheets/d/") + kSpreadsheetId + "/edit#gid=0"}});
  auto check = f.check();
  INFO(check.all());
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.all(), Catch::Contains("spreadsheet 'Q2 Orders' has 1 sheets, read by service account " +
                                          std::string(kServiceAccount)));
}
