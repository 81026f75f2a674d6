// The Google Sheets connector passes `sluice test-plugin` against the fake
// Sheets API its end-to-end tests use: a spreadsheet with one tab, read
// incrementally with the cursor and key the connection file names.
#include "sheets_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_test;

TEST_CASE("gsheets passes sluice test-plugin against its fake") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(5, "Orders", header({"id", "v"}),
                                        {{number(1), text("a")}, {number(2), text("b")}, {number(3), text("c")}})}));
  f.write_connection({stream_selection("sheet_5", "incremental_append_dedup", "id", "id")});
  auto run = f.sluice({"test-plugin", "gsheets", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: gsheets passed all 11 checks\n"));
}
