// A renamed tab in full refresh: the stream is the tab's sheetId, so the
// table stays; given the state of a read before the rename the read says so
// (the host hands state to incremental reads only: the read is called here,
// in the test process, the way it would be given one), and every read ends
// with the tab's current title for the next one to compare.
#include "discovery.hpp"
#include "in_process.hpp"
#include "sheet_reader.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_test;

namespace {

// A read of tab 5 in this process, given `state`, as the connector would
// read it in `mode`.
struct TabRead {
  SheetsFixture f;
  HostCapture capture;
  sluice::Logger logger{&capture.host};
  gsheets::Settings settings;

  explicit TabRead(Sheet tab) {
    f.fake->add(shared_spreadsheet({std::move(tab)}));
    settings = direct_settings(f, f.key_json);
  }

  void read(sluice::SyncMode mode, const std::string& state) {
    gsheets::SheetsApi api(settings, logger);
    auto schemas = gsheets::discover_sheets(api, settings, logger, {"sheet_5"});
    REQUIRE(schemas.size() == 1);
    sluice::ConfiguredStream stream;
    stream.name = "sheet_5";
    stream.sync_mode = mode;
    stream.state = boost::json::parse(state);
    sluice::ReadContext ctx(&capture.host, stream);
    gsheets::read_sheet(api, settings, schemas[0], stream, ctx);
  }
};

}  // namespace

TEST_CASE("a full refresh given the state of a read before a rename says the tab was renamed, and checkpoints its new title") {
  TabRead r(sheet(5, "Orders 2024", header({"id", "v"}), {{number(1), text("a")}}));
  for (const auto mode : {sluice::SyncMode::full_refresh_overwrite, sluice::SyncMode::full_refresh_append}) {
    r.capture.lines.clear();
    r.capture.states.clear();
    r.read(mode, R"({"sheet_id":5,"title":"Orders"})");
    INFO(r.capture.log());
    CHECK_THAT(r.capture.log(), Catch::Contains("sheet 5 was renamed from 'Orders' to 'Orders 2024': stream sheet_5 "
                                                "keeps its table and state"));
    CHECK(r.capture.states == std::vector<std::string>{R"({"sheet_id":5,"title":"Orders 2024"})"});
  }
  CHECK(r.capture.records.back() == R"({"id":1,"v":"a"})" "\n");
}

TEST_CASE("a full refresh of a tab under its old title says nothing of a rename") {
  TabRead r(sheet(5, "Orders", header({"id"}), {{number(1)}}));
  r.read(sluice::SyncMode::full_refresh_overwrite, R"({"sheet_id":5,"title":"Orders"})");
  CHECK_THAT(r.capture.log(), !Catch::Contains("renamed"));
  CHECK(r.capture.states == std::vector<std::string>{R"({"sheet_id":5,"title":"Orders"})"});
}

TEST_CASE("a renamed tab synced in full refresh overwrites the same table with the renamed tab's rows") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({sheet(5, "Orders", header({"id", "v"}), {{number(1), text("a")}, {number(2), text("b")}})}));
  f.write_connection({stream_selection("sheet_5", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) {
    s.sheets[0].title = "Orders 2024";
    s.sheets[0].rows[1][1] = text("a2");
  });
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.all(), Catch::Contains("reading tab 'Orders 2024' rows 2-1000"));
  CHECK(f.rows("SELECT id, v FROM sheet_5 ORDER BY id") == Rows{{"1", "a2"}, {"2", "b"}});
  CHECK(f.requests_ending("/values:batchGet").back().query("ranges") == "'Orders 2024'!A2:B1000");
}
