// jsonv2 cells decoded exactly, per rowType, into record text.
#include "row_decoder.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

using namespace snowflake;

namespace {

Column column(const char* name, const char* type, int64_t precision = 0, int64_t scale = 0) {
  return parse_row_type(json::array{json::object{{"name", name}, {"type", type}, {"precision", precision},
                                                 {"scale", scale}, {"nullable", true}}})
      .front();
}

std::string cell(const char* text, const Column& c) { return decode_cell(json::string(text), c); }

}  // namespace

TEST_CASE("FIXED up to 18 digits with scale 0 is an integer - larger or scaled stays exact decimal text") {
  CHECK(cell("5", column("N", "fixed", 18, 0)) == "5");
  CHECK(cell("-9223372036854775807", column("N", "fixed", 18, 0)) == "-9223372036854775807");
  CHECK(cell("12345678901234567890123456789012345678", column("N", "fixed", 38, 0)) ==
        "\"12345678901234567890123456789012345678\"");
  CHECK(cell("5.00", column("N", "fixed", 10, 2)) == "\"5.00\"");
  CHECK(cell("-0.000000001", column("N", "FIXED", 38, 9)) == "\"-0.000000001\"");
  CHECK_THROWS_WITH(cell("1e5", column("N", "fixed", 18, 0)), Catch::Contains("column N (fixed) has a value that is not one"));
}

TEST_CASE("REAL is a JSON number when it is one - NaN and infinities stay text") {
  CHECK(cell("1.5", column("R", "real")) == "1.5");
  CHECK(cell("1e+300", column("R", "real")) == "1e+300");
  CHECK(cell("NaN", column("R", "real")) == "\"NaN\"");
  CHECK(cell("inf", column("R", "real")) == "\"inf\"");
  // Numbers JSON does not have stay text (found by fuzz_snowflake_rows: "1.").
  CHECK(cell("1.", column("R", "real")) == "\"1.\"");
  CHECK(cell("1e400", column("R", "real")) == "\"1e400\"");
  CHECK(cell("007", column("N", "fixed", 18, 0)) == "\"007\"");
}

TEST_CASE("DATE is days since the epoch, TIME seconds since midnight, digits kept") {
  CHECK(cell("19844", column("D", "date")) == "\"2024-05-01\"");
  CHECK(cell("0", column("D", "date")) == "\"1970-01-01\"");
  CHECK(cell("-1", column("D", "date")) == "\"1969-12-31\"");
  CHECK(cell("45296.123456789", column("T", "time", 0, 9)) == "\"12:34:56.123456789\"");
  CHECK(cell("0", column("T", "time", 0, 0)) == "\"00:00:00\"");
}

TEST_CASE("TIMESTAMP_NTZ is never shifted, LTZ is UTC, TZ keeps its offset, all with nanoseconds") {
  CHECK(cell("1714557072.345678912", column("TS", "timestamp_ntz", 0, 9)) == "\"2024-05-01T09:51:12.345678912\"");
  CHECK(cell("1714557072.345678912", column("TS", "timestamp_ltz", 0, 9)) == "\"2024-05-01T09:51:12.345678912Z\"");
  CHECK(cell("1714557072.345678912 1560", column("TS", "timestamp_tz", 0, 9)) == "\"2024-05-01T11:51:12.345678912+02:00\"");
  CHECK(cell("1714557072.000000001 1110", column("TS", "timestamp_tz", 0, 9)) == "\"2024-05-01T04:21:12.000000001-05:30\"");
  // Before the epoch: -1.25 s is 23:59:58.75 the day before.
  CHECK(cell("-1.250000000", column("TS", "timestamp_ntz", 0, 9)) == "\"1969-12-31T23:59:58.750000000\"");
  CHECK(cell("-86400", column("TS", "timestamp_ntz", 0, 0)) == "\"1969-12-31T00:00:00\"");
  CHECK(cell("1714557072.345", column("TS", "TIMESTAMP_NTZ", 0, 3)) == "\"2024-05-01T09:51:12.345\"");
}

TEST_CASE("BINARY hex becomes base64 - VARIANT, OBJECT, ARRAY and GEOGRAPHY are JSON on one line") {
  CHECK(cell("48656C6C6F", column("B", "binary")) == "\"SGVsbG8=\"");
  CHECK(cell("", column("B", "binary")) == "\"\"");
  CHECK(cell("FF00", column("B", "binary")) == "\"/wA=\"");
  CHECK(cell("{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}", column("V", "variant")) == R"({"a":1,"b":[true]})");
  CHECK(cell("\"text\"", column("V", "variant")) == "\"text\"");
  CHECK(cell("[1, 2]", column("A", "array")) == "[1,2]");
  CHECK(cell(R"({"coordinates": [-122.35, 37.55], "type": "Point"})", column("G", "geography")) ==
        R"({"coordinates":[-122.35,37.55],"type":"Point"})");
}

TEST_CASE("rows become records keyed by the rowType names, nulls kept, text escaped") {
  std::vector<Column> columns{column("ID", "fixed", 38, 0), column("Name \"q\"", "text"), column("OK", "boolean")};
  DecodedRows rows;
  decode_rows(json::array{json::array{"1", "a\"b\n", "true"}, json::array{"2", nullptr, nullptr}}, columns, rows);
  REQUIRE(rows.ends.size() == 2);
  CHECK(rows.record(0) == R"({"ID":"1","Name \"q\"":"a\"b\n","OK":true})");
  CHECK(rows.record(1) == R"({"ID":"2","Name \"q\"":null,"OK":null})");
  CHECK_THROWS_WITH(decode_rows(json::array{json::array{"1"}}, columns, rows),
                    "a result row does not have the 3 cells of its rowType");
}

TEST_CASE("each type's JSON Schema says what the records hold") {
  CHECK(value_schema(column("N", "fixed", 18, 0)) == json::parse(R"({"type": ["integer", "null"]})"));
  CHECK(value_schema(column("N", "fixed", 38, 0)) == json::parse(R"({"type": ["string", "null"], "format": "decimal"})"));
  CHECK(value_schema(column("D", "date")) == json::parse(R"({"type": ["string", "null"], "format": "date"})"));
  CHECK(value_schema(column("V", "variant")) == json::object{});
  CHECK(value_schema(column("O", "object")) == json::parse(R"({"type": ["object", "null"]})"));
  CHECK(value_schema(column("B", "binary")) ==
        json::parse(R"({"type": ["string", "null"], "contentEncoding": "base64"})"));
}
