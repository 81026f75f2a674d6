// Serial numbers as Google documents them: days since 1899-12-30, the
// fraction the time of day; exact to the millisecond.
#include "serial_time.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace gsheets;

namespace {
std::string date(double serial) { std::string out; return append_serial_date(out, serial) ? out : "refused"; }
std::string date_time(double serial) { std::string out; return append_serial_date_time(out, serial) ? out : "refused"; }
std::string time(double serial) { std::string out; return append_serial_time(out, serial) ? out : "refused"; }
}  // namespace

TEST_CASE("the documented examples: 2.5 is 1900-01-01 noon, 33.625 is 1900-02-01 15:00") {
  CHECK(date_time(2.5) == R"("1900-01-01T12:00:00Z")");
  CHECK(date_time(33.625) == R"("1900-02-01T15:00:00Z")");
  CHECK(date(0) == R"("1899-12-30")");
  CHECK(date(60) == R"("1900-02-28")");  // 1900 is not a leap year here
  CHECK(date(61) == R"("1900-03-01")");
}

TEST_CASE("modern serials, negative serials and leap days") {
  CHECK(date(45413) == R"("2024-05-01")");
  CHECK(date(45351) == R"("2024-02-29")");
  CHECK(date(25569) == R"("1970-01-01")");
  CHECK(date(-1) == R"("1899-12-29")");
  CHECK(date(45413.99) == R"("2024-05-01")");  // a date is the day the instant falls in
}

TEST_CASE("fractions round to the nearest millisecond, rolling over midnight") {
  CHECK(date_time(45413.520833333336) == R"("2024-05-01T12:30:00Z")");
  CHECK(date_time(45413 + 1.5 / 86400) == R"("2024-05-01T00:00:01.500Z")");
  CHECK(date_time(45413.9999999999) == R"("2024-05-02T00:00:00Z")");
  CHECK(time(0.5) == R"("12:00:00")");
  CHECK(time(0.75 + 0.123 / 86400) == R"("18:00:00.123")");
  CHECK(time(1.5) == R"("36:00:00")");  // a duration past a day
}

TEST_CASE("values outside years 0001-9999, NaN, infinity and negative times are refused") {
  CHECK(date(3e6) == "refused");
  CHECK(date_time(-700000) == "refused");
  CHECK(date(std::numeric_limits<double>::quiet_NaN()) == "refused");
  CHECK(date_time(std::numeric_limits<double>::infinity()) == "refused");
  CHECK(time(-0.5) == "refused");
  CHECK(date(2958465) == R"("9999-12-31")");
  CHECK(date(2958466) == "refused");
}
