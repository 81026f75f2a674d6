// values.batchGet answers to records: typed cells, omitted trailing cells,
// empty rows, values that do not fit their column, malformed answers.
#include "values_decoder.hpp"

#include <sluice/error.hpp>

#include <catch2/catch.hpp>

using namespace gsheets;

namespace {

const std::vector<Column> kColumns{{"id", ColumnType::integer}, {"name", ColumnType::string},
                                   {"day", ColumnType::date},   {"vip", ColumnType::boolean},
                                   {"at", ColumnType::date_time}, {"start", ColumnType::time}};

std::vector<std::string> decode(const std::string& values, int cursor = -1, DecodedRows* out = nullptr) {
  DecodedRows rows;
  decode_value_range(R"({"spreadsheetId":"x","valueRanges":[{"range":"Orders!A2:F5","majorDimension":"ROWS")" +
                         (values.empty() ? "" : ",\"values\":" + values) + "}]}",
                     kColumns, cursor, 2, 100, "values.batchGet of sheet 'Orders' rows 2-5", rows);
  std::vector<std::string> records;
  for (size_t i = 0; i < rows.ends.size(); ++i) records.emplace_back(rows.record(i));
  if (out) *out = std::move(rows);
  return records;
}

std::string refusal(const std::string& body) {
  DecodedRows rows;
  try {
    decode_value_range(body, kColumns, -1, 2, 3, "values.batchGet of sheet 'Orders' rows 2-4", rows);
  } catch (const sluice::Error& e) {
    CHECK(rows.ends.empty());
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("cells become typed JSON - omitted trailing cells and \"\" are null - empty rows are no record") {
  DecodedRows rows;
  const auto records = decode(R"([[1,"Ann",45413,true,45413.5,0.25],[2,"Bob"],[],["",""],[4,"",45415]])", -1, &rows);
  CHECK(records == std::vector<std::string>{
      R"({"id":1,"name":"Ann","day":"2024-05-01","vip":true,"at":"2024-05-01T12:00:00Z","start":"06:00:00"})",
      R"({"id":2,"name":"Bob","day":null,"vip":null,"at":null,"start":null})",
      R"({"id":4,"name":null,"day":"2024-05-03","vip":null,"at":null,"start":null})"});
  CHECK(rows.row_numbers == std::vector<int64_t>{2, 3, 6});
  CHECK(rows.range_rows == 5);
}

TEST_CASE("an answer without values is an empty range: no records") {
  CHECK(decode("").empty());
}

TEST_CASE("values a column's type does not hold are passed on as sent, never changed") {
  CHECK(decode(R"([["n/a",12345,"soon",1,"x",-1]])") == std::vector<std::string>{
      R"({"id":"n/a","name":"12345","day":"soon","vip":1,"at":"x","start":-1})"});
  CHECK(decode(R"([[1.5,true,3e9]])") == std::vector<std::string>{
      R"({"id":1.5,"name":"TRUE","day":3000000000,"vip":null,"at":null,"start":null})"});
}

TEST_CASE("text is escaped: quotes, control characters and non-ASCII survive as JSON") {
  CHECK(decode(R"([[1,"a\"b\n\u0001é"]])") == std::vector<std::string>{
      R"({"id":1,"name":"a\"b\n\u0001é","day":null,"vip":null,"at":null,"start":null})"});
}

TEST_CASE("the cursor column's values are kept as emitted") {
  DecodedRows rows;
  decode(R"([[1,"a",45413],[2,"b"]])", 2, &rows);
  REQUIRE(rows.cursors.size() == 2);
  CHECK(rows.cursors[0] == "2024-05-01");
  CHECK(rows.cursors[1].is_null());
}

TEST_CASE("malformed answers fail with one line naming the read, and nothing is appended") {
  const std::string what = "values.batchGet of sheet 'Orders' rows 2-4: ";
  CHECK(refusal("{") .rfind(what + "the answer is not JSON", 0) == 0);
  CHECK(refusal(R"({"valueRanges":[]})") == what + "the answer does not hold exactly one valueRanges entry");
  CHECK(refusal(R"({"valueRanges":[{"majorDimension":"COLUMNS","values":[[1]]}]})") ==
        what + "the answer is not in rows (majorDimension \"COLUMNS\")");
  CHECK(refusal(R"({"valueRanges":[{"values":[[1],[2],[3],[4]]}]})") ==
        what + "the answer holds 4 rows, more than the 3 asked for");
  CHECK(refusal(R"({"valueRanges":[{"values":[[1],5]}]})") == what + "row 3 is not an array");
  CHECK(refusal(R"({"valueRanges":[{"values":[[1],[{"a":1}]]}]})") == what + "row 3 holds a cell that is not a value");
}
