// Config: the spreadsheet ID from an ID or a URL, overrides, defaults.
#include "settings.hpp"
#include "sheet_reader.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;
namespace json = boost::json;

namespace {
const std::string kId = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd";

json::object minimal() {
  return {{"spreadsheet", kId}, {"credentials", {{"auth_type", "api_key"}, {"api_key", "k"}}}};
}

std::string config_error(const json::object& config) {
  try {
    read_settings(sluice::Config(config));
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::config);
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("the spreadsheet ID is taken from an ID or any docs.google.com spreadsheet URL") {
  CHECK(spreadsheet_id_from(kId) == kId);
  CHECK(spreadsheet_id_from("https://docs.google.com/spreadsheets/d/" + kId + "/edit#gid=0") == kId);
  CHECK(spreadsheet_id_from("https://docs.google.com/spreadsheets/d/" + kId) == kId);
  CHECK(spreadsheet_id_from("https://docs.google.com/spreadsheets/d/" + kId + "?usp=sharing") == kId);
  CHECK(spreadsheet_id_from("https://docs.google.com/spreadsheets/u/1/d/" + kId + "/htmlview") == kId);
}

TEST_CASE("text that names no spreadsheet is refused with one line") {
  for (const std::string& bad : std::vector<std::string>{"short", "https://docs.google.com/spreadsheets/d/", "has spaces in it at all",
                                "https://docs.google.com/spreadsheets/d/abc$def/edit", "ftp://x/spreadsheets/d/" + kId}) {
    INFO(bad);
    CHECK_THROWS_WITH(spreadsheet_id_from(bad), Catch::StartsWith("config.spreadsheet: neither a spreadsheet ID nor a URL"));
  }
}

TEST_CASE("defaults apply and the API key or the key file is kept by auth type") {
  const Settings settings = read_settings(sluice::Config(minimal()));
  CHECK(settings.api_key == "k");
  CHECK(settings.service_account_json.empty());
  CHECK(settings.header_row == 1);
  CHECK(settings.rows_per_request == 10000);
  CHECK(settings.requests_per_minute == 60);
  CHECK(settings.project_requests_per_minute == 300);
  CHECK(settings.endpoint.base_url == "https://sheets.googleapis.com");
  json::object config = minimal();
  config["credentials"] = {{"auth_type", "service_account"}, {"service_account_json", "{}"}};
  config["column_names"] = "snake_case";
  config["project_requests_per_minute"] = 1200;
  config["column_types"] = json::array{{{"sheet", "Orders"}, {"column", "id"}, {"type", "date-time"}}};
  const Settings other = read_settings(sluice::Config(config));
  CHECK(other.service_account_json == "{}");
  CHECK(other.names == NameRule::snake_case);
  CHECK(other.project_requests_per_minute == 1200);
  REQUIRE(other.overrides.size() == 1);
  CHECK(other.overrides[0].type == ColumnType::date_time);
}

TEST_CASE("a bad override type and a plain-http base_url are config errors naming the field") {
  json::object config = minimal();
  config["column_types"] = json::array{{{"sheet", "Orders"}, {"column", "id"}, {"type", "datetime"}}};
  CHECK(config_error(config) == "config.column_types[0].type: unknown type datetime");
  config = minimal();
  config["base_url"] = "http://sheets.example.com";
  CHECK_THAT(config_error(config), Catch::StartsWith("base_url: plain http:// is allowed only for loopback hosts"));
}

TEST_CASE("windows keep answers near 1.9 MB within [100, configured] rows") {
  CHECK(next_window_rows(10000, 0, 0) == 10000);
  CHECK(next_window_rows(10000, 350'000, 10000) == 10000);   // 35 B a row: 54,000 would fit
  CHECK(next_window_rows(10000, 2'000'000, 1000) == 950);    // 2 KB a row
  CHECK(next_window_rows(10000, 50'000'000, 1000) == 100);   // 50 KB a row: never below 100
  CHECK(next_window_rows(50, 50'000'000, 10) == 50);
}

TEST_CASE("a cursor passes the checkpoint by number, by ISO text, never when empty") {
  CHECK(cursor_after(json::value(3), json::value(2.5)));
  CHECK_FALSE(cursor_after(json::value(2), json::value(2)));
  CHECK(cursor_after(json::value("2024-05-02"), json::value("2024-05-01")));
  CHECK_FALSE(cursor_after(json::value(nullptr), json::value(1)));
  CHECK(cursor_after(json::value(1), json::value(nullptr)));
}
