// How BigQuery table schemas become the catalog's JSON Schemas: every type,
// the aliases, modes, nested records.
#include "field_schema.hpp"

#include <catch2/catch.hpp>

using namespace bigquery;

namespace {

json::object schema_for(const char* fields_json) {
  return record_json_schema(parse_table_schema(json::parse(std::string("{\"fields\":") + fields_json + "}")));
}

json::value property(const json::object& schema, const char* name) {
  return schema.at("properties").at(name);
}

}  // namespace

TEST_CASE("legacy type names and standard SQL aliases map to the same type") {
  CHECK(parse_field_type("INTEGER") == FieldType::int64);
  CHECK(parse_field_type("INT64") == FieldType::int64);
  CHECK(parse_field_type("FLOAT") == FieldType::float64);
  CHECK(parse_field_type("float64") == FieldType::float64);
  CHECK(parse_field_type("BOOLEAN") == FieldType::boolean);
  CHECK(parse_field_type("BOOL") == FieldType::boolean);
  CHECK(parse_field_type("RECORD") == FieldType::record);
  CHECK(parse_field_type("STRUCT") == FieldType::record);
  CHECK(parse_field_type("DECIMAL") == FieldType::numeric);
  CHECK(parse_field_type("BIGDECIMAL") == FieldType::bignumeric);
  CHECK(parse_field_type("SOMETHING_NEW") == FieldType::unknown);
}

TEST_CASE("every BigQuery type has a JSON Schema that keeps its values exact") {
  auto schema = schema_for(R"([
    {"name":"s","type":"STRING"},{"name":"b","type":"BYTES"},{"name":"i","type":"INTEGER","mode":"REQUIRED"},
    {"name":"f","type":"FLOAT"},{"name":"n","type":"NUMERIC"},{"name":"bn","type":"BIGNUMERIC"},
    {"name":"ok","type":"BOOLEAN"},{"name":"ts","type":"TIMESTAMP"},{"name":"d","type":"DATE"},
    {"name":"t","type":"TIME"},{"name":"dt","type":"DATETIME"},{"name":"j","type":"JSON"},
    {"name":"g","type":"GEOGRAPHY"}])");
  CHECK(property(schema, "s") == json::parse(R"({"type":["string","null"],"x-bigquery-type":"STRING"})"));
  CHECK(property(schema, "b") ==
        json::parse(R"({"type":["string","null"],"contentEncoding":"base64","x-bigquery-type":"BYTES"})"));
  CHECK(property(schema, "i") == json::parse(R"({"type":"integer","x-bigquery-type":"INT64"})"));
  CHECK(property(schema, "f") == json::parse(R"({"type":["number","null"],"x-bigquery-type":"FLOAT64"})"));
  CHECK(property(schema, "n") ==
        json::parse(R"({"type":["string","null"],"format":"decimal","x-bigquery-type":"NUMERIC"})"));
  CHECK(property(schema, "bn") ==
        json::parse(R"({"type":["string","null"],"format":"decimal","x-bigquery-type":"BIGNUMERIC"})"));
  CHECK(property(schema, "ok") == json::parse(R"({"type":["boolean","null"],"x-bigquery-type":"BOOL"})"));
  CHECK(property(schema, "ts") ==
        json::parse(R"({"type":["string","null"],"format":"date-time","x-bigquery-type":"TIMESTAMP"})"));
  CHECK(property(schema, "d") == json::parse(R"({"type":["string","null"],"format":"date","x-bigquery-type":"DATE"})"));
  CHECK(property(schema, "t") == json::parse(R"({"type":["string","null"],"format":"time","x-bigquery-type":"TIME"})"));
  CHECK(property(schema, "dt") == json::parse(R"({"type":["string","null"],"x-bigquery-type":"DATETIME"})"));
  CHECK(property(schema, "j") == json::parse(R"({"x-bigquery-type":"JSON"})"));
  CHECK(property(schema, "g") == json::parse(R"({"type":["string","null"],"x-bigquery-type":"GEOGRAPHY"})"));
  CHECK(schema.at("required") == json::parse(R"(["i"])"));
}

TEST_CASE("records nest as objects and repeated fields become arrays") {
  auto schema = schema_for(R"([
    {"name":"tags","type":"STRING","mode":"REPEATED"},
    {"name":"customer","type":"RECORD","fields":[{"name":"name","type":"STRING"},
       {"name":"addresses","type":"STRUCT","mode":"REPEATED","fields":[{"name":"city","type":"STRING"}]}]}])");
  CHECK(property(schema, "tags") == json::parse(R"({"type":"array","items":{"type":"string"},
      "x-bigquery-type":"STRING","x-bigquery-mode":"REPEATED"})"));
  auto customer = property(schema, "customer").as_object();
  CHECK(customer.at("type") == json::parse(R"(["object","null"])"));
  CHECK(customer.at("x-bigquery-type") == "STRUCT");
  auto addresses = customer.at("properties").at("addresses").as_object();
  CHECK(addresses.at("type") == "array");
  CHECK(addresses.at("items").at("type") == "object");
  CHECK(addresses.at("items").at("properties").at("city").at("type") == json::parse(R"(["string","null"])"));
}

TEST_CASE("a schema field without a name is a source error") {
  CHECK_THROWS_WITH(parse_table_schema(json::parse(R"({"fields":[{"type":"STRING"}]})")),
                    Catch::Contains("field has no name"));
}
