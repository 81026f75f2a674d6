// The rules every target shares, tested directly: how timestamps are written
// for the engines, which number literals a double would change, how long
// derived names are cut, and how target URLs hide their password.
#include "host/config/config_error.hpp"
#include "host/config/secrets.hpp"
#include "host/sync/number_literals.hpp"
#include "host/target/identifiers.hpp"
#include "host/target/sql_datetime.hpp"
#include "host/target/target.hpp"
#include "host/target/target_url.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;

namespace {

std::string as_sql(std::string_view text) {
  auto time = sluice::support::parse_rfc3339(text);
  if (!time) return "invalid";
  std::string out;
  append_sql_datetime(out, *time);
  return out;
}

}  // namespace

// Which texts are timestamps, and which instant each names, is the support
// library's parse_rfc3339 (tests/support/timestamp_test.cpp).
TEST_CASE("timestamps reach SQL engines as the UTC instant with six fraction digits and no zone") {
  CHECK(as_sql("2026-01-01T00:00:00Z") == "2026-01-01 00:00:00.000000");
  CHECK(as_sql("2026-01-01 12:30:00.5") == "2026-01-01 12:30:00.500000");
  CHECK(as_sql("2026-01-01t10:00:00.123456+02:00") == "2026-01-01 08:00:00.123456");
  CHECK(as_sql("2026-03-01T01:00:00+0130") == "2026-02-28 23:30:00.000000");
  CHECK(as_sql("0001-01-01T00:00:00Z") == "0001-01-01 00:00:00.000000");
  CHECK(as_sql("9999-12-31T23:59:59.999999Z") == "9999-12-31 23:59:59.999999");
  std::string out = "(";
  append_sql_datetime(out, sluice::support::Timestamp{-1});
  CHECK(out == "(1969-12-31 23:59:59.999999");
}

TEST_CASE("number literals: only those a double or a 64-bit integer would change are marked, and come back whole") {
  CHECK_FALSE(has_inexact_number(R"({"a":1,"b":-2.5,"c":0.1,"d":18446744073709551615,"e":1e10,"f":"1e400"})"));
  CHECK_FALSE(has_inexact_number(R"({"a":-9223372036854775808,"b":1.7976931348623157e308,"c":123456789012345})"));
  CHECK(has_inexact_number(R"({"a":1e400})"));
  CHECK(has_inexact_number(R"({"a":-1e-400})"));
  CHECK(has_inexact_number(R"({"a":1234567890123456789012345678901234567890})"));
  CHECK(has_inexact_number(R"({"a":-9223372036854775809})"));
  CHECK(has_inexact_number(R"({"a":0.12345678901234567890})"));
  CHECK_FALSE(has_inexact_number(R"({"a":"x\"1e400"})"));  // inside a string, escaped quote included

  std::string marked = mark_inexact_numbers(R"({"a":[1e400,2],"b":"t"})");
  CHECK(marked == "{\"a\":[\"\\u001f#1e400\",2],\"b\":\"t\"}");
  CHECK(marked_number("\x1f#1e400") == std::optional<std::string_view>("1e400"));
  CHECK_FALSE(marked_number("1e400"));
  std::string serialized = "{\"a\":[\"\\u001f#1e400\",2]}";
  unmark_numbers(serialized);
  CHECK(serialized == R"({"a":[1e400,2]})");
}

TEST_CASE("derived names that pass the engine's limit are cut with a hash, never silently truncated") {
  CHECK(fit_identifier("_sluice_tmp_items", 63) == "_sluice_tmp_items");
  std::string a = fit_identifier("_sluice_tmp_" + std::string(60, 'a') + "1", 63);
  std::string b = fit_identifier("_sluice_tmp_" + std::string(60, 'a') + "2", 63);
  CHECK(a.size() == 63);
  CHECK(b.size() == 63);
  CHECK(a != b);
}

TEST_CASE("target URLs: percent-decoding, masked display, and clear errors without the password") {
  auto url = parse_target_url("postgresql://us%40er:p%40ss%3Bw0rd@db.example:5433/billing?sslmode=require");
  CHECK(url.user == "us@er");
  CHECK(url.password == "p@ss;w0rd");
  CHECK(url.port == 5433);
  CHECK(url.options.at("sslmode") == "require");
  CHECK(url.masked() == "postgresql://us@er:********@db.example:5433/billing?sslmode=require");
  try {
    parse_target_url("mysql://u:Hidden-Pw@host:99999/db");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("Hidden-Pw") == std::string::npos);
    CHECK_THAT(e.what(), Catch::Contains("port must be a number"));
  }
}

TEST_CASE("opening a target registers its password with the Redactor, even when the connection fails") {
  CHECK_THROWS_AS(open_target("postgresql://u:Redact-Me-PG@127.0.0.1:1/db"), TargetError);
  CHECK_THROWS_AS(open_target("mysql://u:Redact-Me-My@127.0.0.1:1/db"), TargetError);
  CHECK(Redactor::instance().apply("a Redact-Me-PG b Redact-Me-My") == "a ******** b ********");
  // Poco's MySQL connector cannot carry a ';' in its connection string.
  CHECK_THROWS_WITH(open_target("mysql://u:semi%3Bcolon@127.0.0.1:1/db"),
                    Catch::Contains("may not contain ';'") && !Catch::Contains("semi;colon"));
}
