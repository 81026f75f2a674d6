// The fake's answers against the official Sheets API v4 OpenAPI document
// (openapi/specs/SOURCES.md): every answer the fake gives while the CLI checks,
// discovers and syncs (field-masked metadata, grid data, value ranges, a
// 429, a 403, a 404) must have a documented status and a body of the
// documented shape, with no member the document does not list.
#include "openapi_check.hpp"
#include "sheets_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace gsheets_test;

namespace {

const sluice::testkit::OpenApiSpec& sheets_spec() {
  static const sluice::testkit::OpenApiSpec spec(
      "sheets-v4.apisguru.json.gz",
      "e59763d21310e95afedec5e34cd2c20cd1b8e3eae0e3ccd8ae56788db54259fc", {.closed_objects = true});
  return spec;
}

// Checks every answer but the token endpoint's (Google publishes no
// OpenAPI document for it); returns the operations whose bodies were checked.
std::set<std::string> check_answers(const SheetsFixture& f) {
  std::set<std::string> checked;
  for (const auto& [request, response] : f.exchanges()) {
    if (request.path == "/token") continue;
    const auto verdict = sheets_spec().check(request.method, request.raw_path, response.status, response.body);
    INFO(request.method << " " << request.raw_path << " -> " << response.status << " " << response.body.substr(0, 600));
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) checked.insert(verdict.operation);
  }
  return checked;
}

}  // namespace

TEST_CASE("the Sheets fake answers check, discover, sync and refusals in the shapes of the official spec") {
  SheetsFixture f;
  Sheet chart;
  chart.sheet_id = 9;
  chart.title = "Chart";
  chart.type = "OBJECT";
  f.fake->add(shared_spreadsheet(
      {sheet(0, "Orders", header({"id", "day", "vip", "note"}),
             {{number(1), number(45413, "DATE"), boolean(true), text("a")}, {number(2.5), empty(), empty(), error_cell("#N/A")}}),
       chart, sheet(7, "Jon's Data", header({"x"}), {{text("y")}})}));
  f.write_connection({}, {{"retry_attempts", 2}});
  REQUIRE(f.check().exit_code == 0);
  REQUIRE(f.discover_streams().size() == 2);
  f.fake->inject_failures(429, 1);
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) { s.shared_with.clear(); });
  CHECK(f.check().exit_code == 1);  // 403
  f.write_connection({}, {{"spreadsheet", "1ThisSpreadsheetDoesNotExist000000000000000"}});
  CHECK(f.check().exit_code == 1);  // 404
  const auto checked = check_answers(f);
  CHECK(checked == std::set<std::string>{"GET /v4/spreadsheets/{spreadsheetId}",
                                         "GET /v4/spreadsheets/{spreadsheetId}/values:batchGet"});
}
