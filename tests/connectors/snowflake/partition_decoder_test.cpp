// A later partition's answer decoded as it is parsed gives the records the
// DOM decoder gives, keeps the last row for the checkpoint, and refuses
// what it refuses.
#include "partition_decoder.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

using namespace snowflake;

namespace {

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns = parse_row_type(json::parse(R"([
    {"name": "ID", "type": "fixed", "precision": 18, "scale": 0}, {"name": "AMOUNT", "type": "fixed", "precision": 38, "scale": 2},
    {"name": "NOTE", "type": "text"}, {"name": "AT", "type": "timestamp_ntz", "scale": 9},
    {"name": "V", "type": "variant"}])"));
  return kColumns;
}

std::vector<std::string> records(const DecodedRows& rows) {
  std::vector<std::string> out;
  for (size_t i = 0; i < rows.ends.size(); ++i) out.emplace_back(rows.record(i));
  return out;
}

std::vector<std::string> dom_records(const std::string& answer) {
  DecodedRows rows;
  decode_rows(json::parse(answer).at("data").as_array(), columns(), rows);
  return records(rows);
}

DecodedPartition stream(const std::string& answer) { return decode_partition_answer(answer, columns(), "partition 3"); }

}  // namespace

TEST_CASE("a partition's answer decoded while parsing gives exactly the DOM decoder's records, and its last row") {
  const std::string answer = R"({"data": [
      ["1", "5.00", "plain", "1714521600.000000001", "{\"a\": [1, 2.50, null]}"],
      [null, null, null, null, null],
      ["-9223372036854775807", "-0.01", "tab\t \"quoted\" \\ \u00e9 \ud83d\ude00", "0.5", "\"text\""]
    ], "code": "090001", "statementHandle": "01b2", "nested": {"skip": [[{"deep": [1]}]]}})";
  const DecodedPartition decoded = stream(answer);
  CHECK(records(decoded.rows) == dom_records(answer));
  CHECK(records(decoded.rows).size() == 3);
  REQUIRE(decoded.last.size() == 5);
  CHECK(decoded.last[0] == std::optional<std::string>("-9223372036854775807"));
  CHECK(decoded.last[2] == std::optional<std::string>("tab\t \"quoted\" \\ \xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK(stream(R"({"data": [[null, "1.00", "x", "0", null]]})").last[0] == std::nullopt);
}

TEST_CASE("members before data are skipped and an empty data array is no rows") {
  const DecodedPartition decoded = stream(R"({"meta": {"data": "not this one"}, "x": [["a"]], "data": []})");
  CHECK(decoded.rows.ends.empty());
  CHECK(decoded.last.empty());
}

TEST_CASE("a partition's answer without one data array, or with a misshapen row or cell, is refused saying what") {
  CHECK_THROWS_WITH(stream(R"({"rows": []})"), "partition 3: the answer holds no data array");
  CHECK_THROWS_WITH(stream(R"({"data": {}})"), "partition 3: the answer holds no data array");
  CHECK_THROWS_WITH(stream(R"({"data": null})"), "partition 3: the answer holds no data array");
  CHECK_THROWS_WITH(stream(R"([["1"]])"), "partition 3: the answer holds no data array");
  CHECK_THROWS_WITH(stream(R"({"data": [], "data": []})"), "partition 3: the answer holds two data arrays");
  CHECK_THROWS_WITH(stream(R"({"data": [["1", "2.00", "x", "0"]]})"), "a result row does not have the 5 cells of its rowType");
  CHECK_THROWS_WITH(stream(R"({"data": [["1", "2.00", "x", "0", null, null]]})"),
                    "a result row does not have the 5 cells of its rowType");
  CHECK_THROWS_WITH(stream(R"({"data": ["1"]})"), "a result row does not have the 5 cells of its rowType");
  CHECK_THROWS_WITH(stream(R"({"data": [[7, "2.00", "x", "0", null]]})"),
                    "column ID (fixed) has a value that is not one: \"7\"");
  CHECK_THROWS_WITH(stream(R"({"data": [["1", "2.00", "x", "0", {"v": 1}]]})"),
                    "column V (variant) has a value that is not one: \"{...}\"");
  CHECK_THROWS_WITH(stream(R"({"data": [["x", "2.00", "x", "0", null]]})"),
                    "column ID (fixed) has a value that is not one: \"x\"");
  CHECK_THROWS_WITH(stream(R"({"data": [["1", "2.00", "x", "0", null]])"),
                    Catch::StartsWith("partition 3: the answer is not one JSON document ("));
}
