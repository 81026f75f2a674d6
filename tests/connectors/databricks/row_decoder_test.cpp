// The JSON_ARRAY decoder: every type exactly, and a clear refusal for a
// value that is not what its column's type says.
#include "row_decoder.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

using namespace databricks;

namespace {

Column column(const std::string& name, const std::string& type_name, const std::string& type_text) {
  return parse_columns(json::array{json::object{{"name", name}, {"type_name", type_name}, {"type_text", type_text}}}).at(0);
}

std::string decode(const std::string& type_name, const std::string& type_text, const json::value& cell) {
  return decode_cell(cell, column("c", type_name, type_text));
}

}  // namespace

TEST_CASE("integers are exact JSON integers: BIGINT's extremes keep every digit") {
  CHECK(decode("LONG", "bigint", "9223372036854775807") == "9223372036854775807");
  CHECK(decode("LONG", "bigint", "-9223372036854775808") == "-9223372036854775808");
  CHECK(decode("SHORT", "smallint", "-32768") == "-32768");
  CHECK_THROWS_WITH(decode("LONG", "bigint", "9223372036854775808"),
                    "column c (bigint) has a value that is not one: \"9223372036854775808\"");
  CHECK_THROWS(decode("INT", "int", "1.5"));
  CHECK_THROWS(decode("INT", "int", "007"));
}

TEST_CASE("DECIMAL values are exact decimal strings, an exponent written out") {
  CHECK(decode("DECIMAL", "decimal(38,10)", "1234567890123456789012345678.0123456789") ==
        "\"1234567890123456789012345678.0123456789\"");
  CHECK(decode("DECIMAL", "decimal(10,2)", "-0.50") == "\"-0.50\"");
  CHECK(decode("DECIMAL", "decimal(38,18)", "0E-18") == "\"0.000000000000000000\"");
  CHECK(decode("DECIMAL", "decimal(10,0)", "1.2E+3") == "\"1200\"");
  CHECK_THROWS(decode("DECIMAL", "decimal(10,2)", "12,50"));
}

TEST_CASE("TIMESTAMP is the UTC instant with microseconds - TIMESTAMP_NTZ the civil time, never shifted") {
  CHECK(decode("TIMESTAMP", "timestamp", "2024-05-01T09:51:12.345678Z") == "\"2024-05-01T09:51:12.345678Z\"");
  CHECK(decode("TIMESTAMP", "timestamp", "2024-05-01T09:51:12Z") == "\"2024-05-01T09:51:12.000000Z\"");
  CHECK(decode("TIMESTAMP", "timestamp", "2024-05-01T11:51:12.5+02:00") == "\"2024-05-01T09:51:12.500000Z\"");
  CHECK(decode("TIMESTAMP", "timestamp_ntz", "2024-05-01T09:51:12.000001") == "\"2024-05-01T09:51:12.000001\"");
  CHECK(decode("TIMESTAMP_NTZ", "timestamp_ntz", "2024-05-01 09:51:12") == "\"2024-05-01T09:51:12.000000\"");
  CHECK_THROWS(decode("TIMESTAMP", "timestamp_ntz", "2024-05-01T09:51:12Z"));
  CHECK_THROWS(decode("TIMESTAMP", "timestamp", "2024-02-30T00:00:00Z"));
}

TEST_CASE("DATE, BOOLEAN, DOUBLE, BINARY, INTERVAL and STRING keep their values") {
  CHECK(decode("DATE", "date", "2024-02-29") == "\"2024-02-29\"");
  CHECK_THROWS(decode("DATE", "date", "2023-02-29"));
  CHECK(decode("BOOLEAN", "boolean", "true") == "true");
  CHECK_THROWS(decode("BOOLEAN", "boolean", "yes"));
  CHECK(decode("DOUBLE", "double", "1.5E300") == "1.5E300");
  CHECK(decode("DOUBLE", "double", "NaN") == "\"NaN\"");
  CHECK(decode("BINARY", "binary", "SGVsbG8=") == "\"SGVsbG8=\"");
  CHECK_THROWS(decode("BINARY", "binary", "48656C6C6F!"));
  CHECK(decode("INTERVAL", "interval day to second", "1 02:03:04.000000000") == "\"1 02:03:04.000000000\"");
  CHECK(decode("STRING", "string", "caf\xc3\xa9 \"q\"\n") == "\"caf\xc3\xa9 \\\"q\\\"\\n\"");
  CHECK(decode("STRING", "string", nullptr) == "null");
}

TEST_CASE("ARRAY, MAP, STRUCT and VARIANT are JSON values, on one line, numbers as written") {
  CHECK(decode("ARRAY", "array<string>", "[\"x\", \"y\"]") == "[\"x\",\"y\"]");
  CHECK(decode("MAP", "map<string,int>", "{\"a\": 1}") == "{\"a\":1}");
  CHECK(decode("STRUCT", "struct<n:decimal(38,0)>", "{\"n\": 12345678901234567890123}") ==
        "{\"n\":12345678901234567890123}");
  CHECK(decode("STRING", "variant", "{\n  \"plan\": \"pro\"\n}") == "{\"plan\":\"pro\"}");
}

TEST_CASE("a row of the wrong width, or a cell that is not a string, is a source error") {
  const std::vector<Column> columns{column("a", "INT", "int"), column("b", "STRING", "string")};
  DecodedRows rows;
  CHECK_THROWS_WITH(decode_rows(json::parse(R"([["1"]])").as_array(), columns, rows),
                    "a result row does not have the 2 cells of its schema");
  CHECK_THROWS_WITH(decode_rows(json::parse(R"([[1, "x"]])").as_array(), columns, rows),
                    "column a (int) has a value that is not one: \"1\"");
}

TEST_CASE("a downloaded chunk decoded while parsing gives the DOM decoder's records and its last row as sent") {
  const std::vector<Column> columns{column("a", "INT", "int"), column("b", "STRING", "string"),
                                    column("c", "DECIMAL", "decimal(38,2)")};
  const std::string body = R"([["1","x","0E-18"],["2",null,"-12.50"],["3","caf\u00e9 \"q\"","1.5E+3"]])";
  DecodedRows dom;
  decode_rows(json::parse(body).as_array(), columns, dom);
  const sql_common::RowBatch streamed = decode_chunk(body, columns, "chunk");
  CHECK(streamed.rows.text == dom.text);
  CHECK(streamed.rows.ends == dom.ends);
  REQUIRE(streamed.rows.size() == 3);
  CHECK(streamed.rows.record(0) == R"({"a":1,"b":"x","c":"0.000000000000000000"})");
  CHECK(streamed.last == sql_common::SentRow{"3", "caf\xc3\xa9 \"q\"", "1.5E+3"});
  CHECK(decode_chunk("[]", columns, "chunk").rows.size() == 0);
  CHECK(decode_chunk("[]", columns, "chunk").last.empty());
}

TEST_CASE("a downloaded chunk that is not an array of rows of the schema's width is refused naming the chunk") {
  const std::vector<Column> columns{column("a", "INT", "int"), column("b", "STRING", "string")};
  const std::string what = "the read of main.s.t (chunk 3)";
  CHECK_THROWS_WITH(decode_chunk("{\"rows\": []}", columns, what), what + ": the answer is not a JSON array of rows");
  CHECK_THROWS_WITH(decode_chunk("\"x\"", columns, what), what + ": the answer is not a JSON array of rows");
  CHECK_THROWS_WITH(decode_chunk(R"([["1","x"]] [])", columns, what),
                    Catch::StartsWith(what + ": the answer is not one JSON document ("));
  CHECK_THROWS_WITH(decode_chunk(R"([["1","x"],["2"]])", columns, what), "a result row does not have the 2 cells of its schema");
  CHECK_THROWS_WITH(decode_chunk(R"([["1","x","y"]])", columns, what), "a result row does not have the 2 cells of its schema");
  CHECK_THROWS_WITH(decode_chunk(R"([[1,"x"]])", columns, what), "column a (int) has a value that is not one: \"1\"");
  CHECK_THROWS_WITH(decode_chunk(R"([["1",["x"]]])", columns, what),
                    "column b (string) has a value that is not one: \"[...]\"");
  CHECK_THROWS_WITH(decode_chunk(R"([["one","x"]])", columns, what), "column a (int) has a value that is not one: \"one\"");
}
