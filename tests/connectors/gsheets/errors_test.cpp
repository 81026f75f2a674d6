// Failures in Google's words, each one line naming what to fix: quota (429
// RESOURCE_EXHAUSTED) retried then given up with the sheet and rows named
// and the old table intact, an API key on a private sheet, a sheet not
// shared with the service account, an unknown spreadsheet, a bad key file.
#include "sheets_fixture.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_test;

namespace {

Sheet orders(int rows) {
  std::vector<std::vector<Cell>> cells;
  for (int i = 1; i <= rows; ++i) cells.push_back({number(i), text("row " + std::to_string(i))});
  Sheet s = sheet(0, "Orders", header({"id", "name"}), std::move(cells));
  s.row_count = rows + 1;
  return s;
}

// The fake's quota minute, a fresh one, never ends: what is used stays used.
void freeze_clock(SheetsFixture& f) {
  const auto frozen = std::chrono::system_clock::now() + std::chrono::hours(1);
  f.fake->set_clock([frozen] { return frozen; });
}

}  // namespace

TEST_CASE("429 RESOURCE_EXHAUSTED is retried with backoff and the sync completes") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({orders(30)}));
  f.write_connection();
  f.fake->inject_failures(429, 2);
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM sheet_0") == Rows{{"30", "30"}});
  CHECK(f.fake->refused_for_quota() == 2);
}

TEST_CASE("503 is retried like a 429") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({orders(3)}));
  f.write_connection();
  f.fake->inject_failures(503, 1);
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM sheet_0") == Rows{{"3"}});
}

TEST_CASE("429 until the attempts are spent fails the stream naming sheet and rows - the old table stays intact") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({orders(250)}));
  f.write_connection({}, {{"rows_per_request", 100}, {"retry_attempts", 3}});
  REQUIRE(f.sync().exit_code == 0);
  REQUIRE(f.rows("SELECT count(*) FROM sheet_0") == Rows{{"250"}});
  REQUIRE(f.requests_ending("/values:batchGet").size() == 3);
  const auto discovery_requests = static_cast<int>(f.requests_ending(kSpreadsheetId).size());
  f.fake->edit(kSpreadsheetId, [](Spreadsheet& s) { s.sheets[0].rows[1][1] = text("changed"); });
  // Discovery and the first window fit in the quota; the second window never does.
  freeze_clock(f);
  f.fake->set_quota(discovery_requests + 1, 300);
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains(
      "stream sheet_0 failed: gsheets read: values.batchGet of sheet 'Orders' rows 102-201 (Orders!A102:B201) failed "
      "after 3 attempts: HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Read requests' and limit 'Read "
      "requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'. [rate_limited]"));
  CHECK(f.fake->refused_for_quota() == 3);
  CHECK(f.rows("SELECT count(*), min(name) FROM sheet_0") == Rows{{"250", "row 1"}});  // the first run's rows, untouched
}

TEST_CASE("an API key on a private spreadsheet is refused: auth error saying the sheet is not public") {
  SheetsFixture f;
  f.fake->add(shared_spreadsheet({orders(1)}));
  f.write_api_key_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(
      std::string("gsheets check: spreadsheet ") + kSpreadsheetId +
      " is not public: an API key reads only sheets shared as 'Anyone with the link' (use a service account for private "
      "sheets) (spreadsheets.get of spreadsheet " + kSpreadsheetId +
      "): HTTP 403 PERMISSION_DENIED: The caller does not have permission [auth]"));
  CHECK_THAT(result.all(), !Catch::Contains(kApiKey));
}

TEST_CASE("a spreadsheet not shared with the service account is refused naming the e-mail to share it with") {
  SheetsFixture f;
  Spreadsheet spreadsheet = shared_spreadsheet({orders(1)});
  spreadsheet.shared_with.clear();
  f.fake->add(spreadsheet);
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(
      std::string("gsheets check: spreadsheet ") + kSpreadsheetId + " is not shared with service account " +
      kServiceAccount + " (share it with that e-mail as Viewer) (spreadsheets.get of spreadsheet " + kSpreadsheetId +
      "): HTTP 403 PERMISSION_DENIED: The caller does not have permission [auth]"));
}

TEST_CASE("an unknown spreadsheet is a config error") {
  SheetsFixture f;
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(std::string("spreadsheet ") + kSpreadsheetId +
                                         " not found (spreadsheets.get of spreadsheet " + kSpreadsheetId +
                                         "); check config.spreadsheet: HTTP 404 NOT_FOUND: Requested entity was not found. [config]"));
}

TEST_CASE("a spreadsheet value that is neither an ID nor a sheets URL is a config error") {
  SheetsFixture f;
  f.write_connection({}, {{"spreadsheet", "https://example.com/not-a-sheet"}});
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("config.spreadsheet: neither a spreadsheet ID nor a URL "
                                         "https://docs.google.com/spreadsheets/d/ID/...: https://example.com/not-a-sheet"));
}

TEST_CASE("a key file that is not a service-account key is a config error naming the field, not quoting it") {
  SheetsFixture f;
  f.key_json = R"({"type":"authorized_user","refresh_token":"s3cr3t-refresh"})";
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("config.credentials.service_account_json: not a service-account key") &&
                             Catch::Contains("[config]"));
  CHECK_THAT(result.all(), !Catch::Contains("s3cr3t-refresh"));
  CHECK(f.fake->tokens_issued() == 0);
}

TEST_CASE("a wrong API key is an auth error in Google's words, the key never printed") {
  SheetsFixture f;
  Spreadsheet spreadsheet = shared_spreadsheet({orders(1)});
  spreadsheet.public_link = true;
  f.fake->add(spreadsheet);
  f.write_api_key_connection();
  const std::string path = f.connection_path();
  std::string text = sluice::test::read_file(path);
  text.replace(text.find(kApiKey), std::string(kApiKey).size(), "AIzaWrongKey-000");
  f.dir.write("conn.json", text);
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(std::string("gsheets check: an API key was not accepted by Google (spreadsheets.get of spreadsheet ") +
                                         kSpreadsheetId + "): HTTP 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key. [auth]"));
  CHECK_THAT(result.all(), !Catch::Contains("AIzaWrongKey-000"));
}
