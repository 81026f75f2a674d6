// Decoding rows from the {"f":[{"v":...}]} wire form, value by value.
#include "cell_decoder.hpp"

#include <catch2/catch.hpp>

using namespace bigquery;

namespace {

std::vector<Field> fields(const char* json_fields) {
  return parse_table_schema(json::parse(std::string("{\"fields\":") + json_fields + "}"));
}

}  // namespace

TEST_CASE("INT64 is exact at both ends of its range, and NUMERIC keeps all 38 digits") {
  auto schema = fields(R"([{"name":"big","type":"INTEGER"},{"name":"small","type":"INT64"},
                           {"name":"n","type":"NUMERIC"},{"name":"bn","type":"BIGNUMERIC"}])");
  auto record = decode_row(json::parse(R"({"f":[{"v":"9223372036854775807"},{"v":"-9223372036854775808"},
      {"v":"12345678901234567890123456789.123456789"},
      {"v":"-578960446186580977117854925043439539266.34992332820282019728792003956564819967"}]})"), schema);
  CHECK(record.at("big").as_int64() == INT64_MAX);
  CHECK(record.at("small").as_int64() == INT64_MIN);
  CHECK(record.at("n").as_string() == "12345678901234567890123456789.123456789");
  CHECK(record.at("bn").as_string() ==
        "-578960446186580977117854925043439539266.34992332820282019728792003956564819967");
}

TEST_CASE("TIMESTAMP becomes UTC ISO-8601 with microseconds from either wire encoding") {
  CHECK(parse_timestamp_micros("1714550000123456") == 1714550000123456);
  CHECK(parse_timestamp_micros("1.714550000123456E9") == 1714550000123456);
  CHECK(parse_timestamp_micros("1.7145500001E9") == 1714550000100000);
  CHECK(parse_timestamp_micros("-1.0E-6") == -1);
  CHECK_FALSE(parse_timestamp_micros("2024-05-01T00:00:00Z").has_value());
  auto schema = fields(R"([{"name":"ts","type":"TIMESTAMP"}])");
  auto decoded = [&](const char* cell) {
    return decode_row(json::object{{"f", json::array{json::object{{"v", cell}}}}}, schema).at("ts");
  };
  CHECK(decoded("1714550000123456") == "2024-05-01T07:53:20.123456Z");
  CHECK(decoded("1.714550000123456E9") == "2024-05-01T07:53:20.123456Z");
  CHECK(decoded("-1.0E-6") == "1969-12-31T23:59:59.999999Z");
  CHECK(decoded("-62135596800000000") == "0001-01-01T00:00:00.000000Z");
  CHECK(decoded("2024-05-01T07:53:20.123456Z") == "2024-05-01T07:53:20.123456Z");  // already text
}

TEST_CASE("scalars: FLOAT64, BOOL, BYTES, DATE, TIME, DATETIME, GEOGRAPHY, JSON and NULL") {
  auto schema = fields(R"([{"name":"f","type":"FLOAT"},{"name":"nan","type":"FLOAT64"},{"name":"ok","type":"BOOLEAN"},
      {"name":"b","type":"BYTES"},{"name":"d","type":"DATE"},{"name":"t","type":"TIME"},{"name":"dt","type":"DATETIME"},
      {"name":"g","type":"GEOGRAPHY"},{"name":"j","type":"JSON"},{"name":"none","type":"STRING"}])");
  auto record = decode_row(json::parse(R"J({"f":[{"v":"1.0E20"},{"v":"NaN"},{"v":"true"},{"v":"3q2+7w=="},
      {"v":"2024-05-01"},{"v":"12:34:56.123456"},{"v":"2024-05-01T12:34:56.5"},{"v":"POINT(1 2)"},
      {"v":"{\"k\":[1,2],\"s\":\"x\"}"},{"v":null}]})J"), schema);
  CHECK(record.at("f").as_double() == 1.0e20);
  CHECK(record.at("nan") == "NaN");
  CHECK(record.at("ok") == true);
  CHECK(record.at("b") == "3q2+7w==");
  CHECK(record.at("d") == "2024-05-01");
  CHECK(record.at("t") == "12:34:56.123456");
  CHECK(record.at("dt") == "2024-05-01T12:34:56.5");
  CHECK(record.at("g") == "POINT(1 2)");
  CHECK(record.at("j") == json::parse(R"({"k":[1,2],"s":"x"})"));
  CHECK(record.at("none").is_null());
}

TEST_CASE("records, repeated scalars and repeated records decode into nested JSON") {
  auto schema = fields(R"([{"name":"tags","type":"STRING","mode":"REPEATED"},
      {"name":"ids","type":"INTEGER","mode":"REPEATED"},
      {"name":"customer","type":"RECORD","fields":[{"name":"name","type":"STRING"},{"name":"since","type":"DATE"}]},
      {"name":"lines","type":"RECORD","mode":"REPEATED","fields":[{"name":"sku","type":"STRING"},
         {"name":"qty","type":"INTEGER"},{"name":"at","type":"TIMESTAMP"}]},
      {"name":"empty","type":"STRING","mode":"REPEATED"}])");
  auto record = decode_row(json::parse(R"({"f":[
      {"v":[{"v":"a"},{"v":"b"}]},
      {"v":[{"v":"1"},{"v":"9007199254740993"}]},
      {"v":{"f":[{"v":"Ann"},{"v":"2020-01-01"}]}},
      {"v":[{"v":{"f":[{"v":"x-1"},{"v":"2"},{"v":"0"}]}},{"v":{"f":[{"v":"y-2"},{"v":null},{"v":null}]}}]},
      {"v":[]}]})"), schema);
  CHECK(record.at("tags") == json::parse(R"(["a","b"])"));
  CHECK(record.at("ids").as_array().at(1).as_int64() == 9007199254740993);
  CHECK(record.at("customer") == json::parse(R"({"name":"Ann","since":"2020-01-01"})"));
  CHECK(record.at("lines") == json::parse(R"([{"sku":"x-1","qty":2,"at":"1970-01-01T00:00:00.000000Z"},
                                              {"sku":"y-2","qty":null,"at":null}])"));
  CHECK(record.at("empty") == json::array());
}

TEST_CASE("a row whose cells do not match the schema is a source error") {
  auto schema = fields(R"([{"name":"a","type":"STRING"},{"name":"b","type":"STRING"}])");
  CHECK_THROWS_WITH(decode_row(json::parse(R"({"f":[{"v":"1"}]})"), schema),
                    Catch::Contains("does not have the 2 cells"));
}
