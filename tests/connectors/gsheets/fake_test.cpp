// The fake on its own: field masks, trailing-cell omission, render options,
// quotas, as Google's pages describe them.
#include "fake_sheets.hpp"
#include "fields_mask.hpp"

#include <catch2/catch.hpp>

using namespace gsheets_fake;

namespace {

FakeRequest get(const std::string& path, std::multimap<std::string, std::string> query, const std::string& key = "k") {
  FakeRequest request;
  request.method = "GET";
  request.path = request.raw_path = path;
  query.emplace("key", key);
  request.query_params = std::move(query);
  return request;
}

std::unique_ptr<FakeSheets> public_fake() {
  auto fake = std::make_unique<FakeSheets>("a@p.iam.gserviceaccount.com", "", "k");
  Spreadsheet s;
  s.id = "sid";
  s.public_link = true;
  Sheet sheet;
  sheet.title = "My Data";
  sheet.row_count = 10;
  sheet.column_count = 5;
  sheet.rows = {{text("id"), text("day"), text("x")},
                {number(1), number(45413, "DATE", "5/1/2024"), empty(), empty()},
                {},
                {empty(), text("b")}};
  s.sheets.push_back(sheet);
  fake->add(s);
  return fake;
}

}  // namespace

TEST_CASE("a fields mask keeps only the listed members, nested and in parentheses") {
  const auto mask = parse_field_mask("properties(title),sheets.properties(sheetId,gridProperties(rowCount))");
  REQUIRE(mask);
  const auto value = boost::json::parse(
      R"({"spreadsheetId":"x","properties":{"title":"T","locale":"en"},"sheets":[{"properties":{"sheetId":1,"title":"S","gridProperties":{"rowCount":5,"columnCount":2}},"data":[]}]})");
  CHECK(boost::json::serialize(apply_field_mask(value, *mask)) ==
        R"({"properties":{"title":"T"},"sheets":[{"properties":{"gridProperties":{"rowCount":5},"sheetId":1}}]})");
  CHECK_FALSE(parse_field_mask("a(b"));
  CHECK_FALSE(parse_field_mask("a,,b"));
}

TEST_CASE("batchGet leaves out trailing empty cells and rows, keeps inner ones, and renders as asked") {
  auto fake = public_fake();
  auto answer = fake->handle(get("/v4/spreadsheets/sid/values:batchGet",
                                {{"ranges", "'My Data'!A1:E10"}, {"valueRenderOption", "UNFORMATTED_VALUE"}}));
  REQUIRE(answer.status == 200);
  CHECK(answer.body ==
        R"({"spreadsheetId":"sid","valueRanges":[{"range":"'My Data'!A1:E10","majorDimension":"ROWS","values":[["id","day","x"],[1,45413],[],["","b"]]}]})");
  auto formatted = fake->handle(get("/v4/spreadsheets/sid/values:batchGet", {{"ranges", "'My Data'!B2"}}));
  CHECK(formatted.body == R"({"spreadsheetId":"sid","valueRanges":[{"range":"'My Data'!B2:B2","majorDimension":"ROWS","values":[["5/1/2024"]]}]})");
  auto empty_range = fake->handle(get("/v4/spreadsheets/sid/values:batchGet", {{"ranges", "'My Data'!A6:C10"}}));
  CHECK(empty_range.body == R"({"spreadsheetId":"sid","valueRanges":[{"range":"'My Data'!A6:C10","majorDimension":"ROWS"}]})");
  auto bad = fake->handle(get("/v4/spreadsheets/sid/values:batchGet", {{"ranges", "Nope!A1"}}));
  CHECK(bad.status == 400);
  CHECK(bad.body == R"({"error":{"code":400,"message":"Unable to parse range: Nope!A1","status":"INVALID_ARGUMENT"}})");
}

TEST_CASE("the quota counts reads per user in the clock's minute and answers 429 RESOURCE_EXHAUSTED past it") {
  auto fake = public_fake();
  auto now = std::chrono::system_clock::time_point{};
  fake->set_clock([&] { return now; });
  fake->set_quota(2, 300);
  const auto request = get("/v4/spreadsheets/sid", {{"fields", "properties.title"}});
  CHECK(fake->handle(request).status == 200);
  CHECK(fake->handle(request).status == 200);
  const auto refused = fake->handle(request);
  CHECK(refused.status == 429);
  CHECK_THAT(refused.body, Catch::Contains(R"("status":"RESOURCE_EXHAUSTED")") &&
                               Catch::Contains("ReadRequestsPerMinutePerUser"));
  now += std::chrono::minutes(1);
  CHECK(fake->handle(request).status == 200);
  CHECK(fake->refused_for_quota() == 1);
}

TEST_CASE("a wrong API key is 400 API_KEY_INVALID - unknown spreadsheets are 404") {
  auto fake = public_fake();
  auto wrong = fake->handle(get("/v4/spreadsheets/sid", {}, "nope"));
  CHECK(wrong.status == 400);
  CHECK_THAT(wrong.body, Catch::Contains("API key not valid. Please pass a valid API key."));
  CHECK(fake->handle(get("/v4/spreadsheets/other", {})).status == 404);
}
