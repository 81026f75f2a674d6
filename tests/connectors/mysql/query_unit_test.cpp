// Query in place, what needs no server: result fields typed by discover's
// map, BIT bytes as their value, parameters bound by type.
#include "query.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace mysql_source;

namespace {

MYSQL_FIELD field(const char* name, enum_field_types type, unsigned flags = 0, unsigned charset = 63) {
  MYSQL_FIELD out{};
  out.name = const_cast<char*>(name);
  out.name_length = static_cast<unsigned>(std::strlen(name));
  out.type = type;
  out.flags = flags;
  out.charsetnr = charset;
  return out;
}

std::string schema_of(const MYSQL_FIELD& f, std::string_view format = "") {
  return boost::json::serialize(column_schema(result_column(f, format)));
}

}  // namespace

TEST_CASE("a MySQL result field is typed by discover's map: unsigned BIGINT exact and binary by character set and JSON by format") {
  CHECK(schema_of(field("n", MYSQL_TYPE_LONGLONG, NOT_NULL_FLAG)) == R"({"type":"integer","x-mysql-type":"bigint"})");
  CHECK(schema_of(field("u", MYSQL_TYPE_LONGLONG, UNSIGNED_FLAG)) ==
        R"({"type":["string","null"],"format":"decimal","x-mysql-type":"bigint unsigned"})");
  CHECK(schema_of(field("i", MYSQL_TYPE_LONG, UNSIGNED_FLAG)) == R"({"type":["integer","null"],"x-mysql-type":"int unsigned"})");
  CHECK(schema_of(field("d", MYSQL_TYPE_NEWDECIMAL)) == R"({"type":["string","null"],"format":"decimal","x-mysql-type":"decimal"})");
  CHECK(schema_of(field("f", MYSQL_TYPE_DOUBLE)) == R"({"type":["number","null"],"x-mysql-type":"double"})");
  CHECK(schema_of(field("s", MYSQL_TYPE_VAR_STRING, 0, 45)) == R"({"type":["string","null"],"x-mysql-type":"varchar"})");
  CHECK(schema_of(field("b", MYSQL_TYPE_VAR_STRING)) ==
        R"({"type":["string","null"],"contentEncoding":"base64","x-mysql-type":"varbinary"})");
  CHECK(schema_of(field("t", MYSQL_TYPE_BLOB, 0, 45)) == R"({"type":["string","null"],"x-mysql-type":"text"})");
  CHECK(schema_of(field("j", MYSQL_TYPE_BLOB, 0, 45), "json") == R"({"x-mysql-type":"json"})");
  CHECK(schema_of(field("j", MYSQL_TYPE_JSON, 0, 45)) == R"({"x-mysql-type":"json"})");
  CHECK(schema_of(field("e", MYSQL_TYPE_STRING, ENUM_FLAG, 45)) == R"({"type":["string","null"],"x-mysql-type":"enum"})");
  CHECK(schema_of(field("ts", MYSQL_TYPE_TIMESTAMP)) == R"({"type":["string","null"],"format":"date-time","x-mysql-type":"timestamp"})");
  CHECK(schema_of(field("dt", MYSQL_TYPE_DATETIME)) == R"({"type":["string","null"],"x-mysql-type":"datetime"})");
  CHECK(schema_of(field("bits", MYSQL_TYPE_BIT, UNSIGNED_FLAG)) == R"({"type":["integer","null"],"x-mysql-type":"bit"})");
  CHECK(schema_of(field("y", MYSQL_TYPE_YEAR, UNSIGNED_FLAG)) == R"({"type":["integer","null"],"x-mysql-type":"year unsigned"})");
}

TEST_CASE("a BIT value sent as bytes is its unsigned value as a sync's CAST writes it") {
  CHECK(bit_value_text(std::string("\x02\x01", 2)) == "513");
  CHECK(bit_value_text(std::string(8, '\xff')) == "18446744073709551615");
  CHECK(bit_value_text("") == "0");
}

TEST_CASE("MySQL parameters are bound by type and a timestamp as the UTC date-time of its instant") {
  BoundParameters bound({{"n", "integer", boost::json::value(42)},
                         {"x", "number", boost::json::value(0.5)},
                         {"f", "boolean", boost::json::value(true)},
                         {"s", "string", boost::json::value("it's")},
                         {"d", "date", boost::json::value("2024-02-29")},
                         {"t", "timestamp", boost::json::value("2024-03-01T01:30:00.25-02:00")},
                         {"none", "string", boost::json::value(nullptr)}});
  auto& binds = bound.binds();
  REQUIRE(binds.size() == 7);
  CHECK(binds[0].buffer_type == MYSQL_TYPE_LONGLONG);
  CHECK(*static_cast<long long*>(binds[0].buffer) == 42);
  CHECK(binds[1].buffer_type == MYSQL_TYPE_DOUBLE);
  CHECK(*static_cast<double*>(binds[1].buffer) == 0.5);
  CHECK(binds[2].buffer_type == MYSQL_TYPE_TINY);
  CHECK(*static_cast<signed char*>(binds[2].buffer) == 1);
  CHECK(binds[3].buffer_type == MYSQL_TYPE_STRING);
  CHECK(std::string(static_cast<char*>(binds[3].buffer), binds[3].buffer_length) == "it's");
  CHECK(binds[4].buffer_type == MYSQL_TYPE_DATE);
  const auto& day = *static_cast<MYSQL_TIME*>(binds[4].buffer);
  CHECK((day.year == 2024 && day.month == 2 && day.day == 29));
  CHECK(binds[5].buffer_type == MYSQL_TYPE_DATETIME);
  const auto& at = *static_cast<MYSQL_TIME*>(binds[5].buffer);
  CHECK((at.year == 2024 && at.month == 3 && at.day == 1 && at.hour == 3 && at.minute == 30 && at.second == 0 &&
         at.second_part == 250000));
  CHECK(*binds[6].is_null);
  CHECK_FALSE(*binds[0].is_null);
  CHECK_THROWS_WITH(BoundParameters({{"n", "integer", boost::json::value("1")}}),
                    "parameter n: integer wants a whole number within 64 bits");
}
