// Types and values: how each PostgreSQL base type is declared and written,
// and COPY's text format undone.
#include "column_type.hpp"
#include "record_text.hpp"

#include <catch2/catch.hpp>

using namespace postgres;

namespace {

std::string value(Kind kind, std::string_view text, const std::string& base = "") {
  std::string out;
  RecordText::append_value(out, Column{"c", base, base, kind, false}, text);
  return out;
}

}  // namespace

TEST_CASE("base types map to exact kinds: domains by their base, enums as text, arrays by category") {
  CHECK(kind_of("int8", 'b', 'N') == Kind::integer);
  CHECK(kind_of("numeric", 'b', 'N') == Kind::decimal);
  CHECK(kind_of("money", 'b', 'N') == Kind::decimal);
  CHECK(kind_of("float8", 'b', 'N') == Kind::number);
  CHECK(kind_of("timestamptz", 'b', 'D') == Kind::timestamptz);
  CHECK(kind_of("timestamp", 'b', 'D') == Kind::timestamp);
  CHECK(kind_of("jsonb", 'b', 'U') == Kind::json);
  CHECK(kind_of("_int4", 'b', 'A') == Kind::array);
  CHECK(kind_of("mood", 'e', 'E') == Kind::text);
  CHECK(kind_of("bytea", 'b', 'U') == Kind::bytea);
  CHECK(kind_of("inet", 'b', 'I') == Kind::text);
}

TEST_CASE("a column's schema says its JSON type, nullability, format and declared type") {
  CHECK(json::value(column_schema({"n", "numeric(38,10)", "numeric", Kind::decimal, true})) ==
        json::parse(R"J({"type": "string", "format": "decimal", "x-postgres-type": "numeric(38,10)"})J"));
  CHECK(json::value(column_schema({"t", "timestamp with time zone", "timestamptz", Kind::timestamptz, false})) ==
        json::parse(R"J({"type": ["string", "null"], "format": "date-time", "x-postgres-type": "timestamp with time zone"})J"));
  CHECK(json::value(column_schema({"j", "jsonb", "jsonb", Kind::json, false})) ==
        json::parse(R"J({"x-postgres-type": "jsonb"})J"));
  CHECK(json::value(column_schema({"b", "bytea", "bytea", Kind::bytea, false})) ==
        json::parse(R"J({"type": ["string", "null"], "contentEncoding": "base64", "x-postgres-type": "bytea"})J"));
}

TEST_CASE("values are written exactly: digits kept, instants in UTC with microseconds, bytea as base64") {
  CHECK(value(Kind::integer, "-9223372036854775808") == "-9223372036854775808");
  CHECK(value(Kind::decimal, "12345678901234567890.123456789012345678") == "\"12345678901234567890.123456789012345678\"");
  CHECK(value(Kind::number, "1.1000000000000001") == "1.1000000000000001");
  CHECK(value(Kind::number, "NaN") == "\"NaN\"");
  CHECK(value(Kind::boolean, "t") == "true");
  CHECK(value(Kind::boolean, "f") == "false");
  CHECK(value(Kind::timestamptz, "2024-05-01 09:51:12.345678+00") == "\"2024-05-01T09:51:12.345678Z\"");
  CHECK(value(Kind::timestamptz, "2024-05-01 09:51:12+00") == "\"2024-05-01T09:51:12Z\"");
  // Outside what an RFC 3339 instant holds: the server's text, for _sluice_uncast.
  CHECK(value(Kind::timestamptz, "infinity") == "\"infinity\"");
  CHECK(value(Kind::timestamptz, "0044-03-15 12:00:00+00 BC") == "\"0044-03-15 12:00:00+00 BC\"");
  CHECK(value(Kind::timestamp, "2024-05-01 09:51:12.5") == "\"2024-05-01T09:51:12.5\"");
  CHECK(value(Kind::bytea, "\\x48656c6c6f") == "\"SGVsbG8=\"");
  CHECK(value(Kind::bytea, "\\x") == "\"\"");
  CHECK(value(Kind::json, "{\"a\": [1, 2.50],\n \"b c\": \"x  y\"}") == "{\"a\":[1,2.50],\"b c\":\"x  y\"}");
  CHECK(value(Kind::text, "caf\xc3\xa9 \"q\"\n") == "\"caf\xc3\xa9 \\\"q\\\"\\n\"");
}

TEST_CASE("text that is not UTF-8 (a SQL_ASCII database) keeps the record JSON: each stray byte becomes U+FFFD") {
  CHECK(value(Kind::text, "caf\xe9 ok") == "\"caf\xef\xbf\xbd ok\"");
  CHECK(value(Kind::text, "\xff\xfe\xc3\xa9") == "\"\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\"");
  // Overlong forms and UTF-16 surrogates are not UTF-8 either (RFC 3629).
  CHECK(value(Kind::text, "\xc0\xaf") == "\"\xef\xbf\xbd\xef\xbf\xbd\"");
  CHECK(value(Kind::text, "\xed\xa0\x80") == "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
  CHECK(value(Kind::timestamptz, "\xff") == "\"\xef\xbf\xbd\"");
  CHECK(value(Kind::text, "\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");  // a 4-byte character stays
}

TEST_CASE("a record names every column in order, SQL NULL as null") {
  const std::vector<Column> columns{{"id", "bigint", "int8", Kind::integer, true},
                                    {"na\"me", "text", "text", Kind::text, false}};
  RecordText records(columns);
  std::string out;
  records.append(out, {std::string_view("7"), std::nullopt});
  CHECK(out == "{\"id\":7,\"na\\\"me\":null}");
}

TEST_CASE("COPY text lines split on tabs with every escape undone, \\N as NULL") {
  std::vector<std::optional<std::string_view>> fields;
  std::vector<std::string> storage;
  REQUIRE(split_copy_line("1\t\\N\ta\\tb\\nc\\\\d\t\\101\\x42\t", 5, fields, storage));
  CHECK(fields[0] == std::optional<std::string_view>("1"));
  CHECK_FALSE(fields[1]);
  CHECK(fields[2] == std::optional<std::string_view>("a\tb\nc\\d"));
  CHECK(fields[3] == std::optional<std::string_view>("AB"));
  CHECK(fields[4] == std::optional<std::string_view>(""));
  // \x without a hex digit is an escaped x, as any other backslashed character.
  REQUIRE(split_copy_line("\\xg\\x", 1, fields, storage));
  CHECK(fields[0] == std::optional<std::string_view>("xgx"));
  CHECK_FALSE(split_copy_line("1\t2", 3, fields, storage));
  CHECK_FALSE(split_copy_line("1\t2\t3\t4", 3, fields, storage));
}
