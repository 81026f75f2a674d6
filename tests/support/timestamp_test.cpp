// The shared RFC 3339 toolkit (sluice/support/timestamp.hpp): which texts
// are instants, which instant each names, and how instants are written.
#include <sluice/support/timestamp.hpp>

#include <catch2/catch.hpp>

#include <cstdint>

using sluice::support::format_rfc3339;
using sluice::support::parse_date;
using sluice::support::parse_rfc3339;
using sluice::support::Timestamp;

namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t k2026 = 1'767'225'600 * kSecond;                // 2026-01-01T00:00:00Z
constexpr int64_t kFirst = -62'135'596'800 * kSecond;             // 0001-01-01T00:00:00Z
constexpr int64_t kLast = 253'402'300'799 * kSecond + 999'999;    // 9999-12-31T23:59:59.999999Z

// The instant's microseconds, or a value no test expects for a refused text.
int64_t micros(std::string_view text) {
  auto t = parse_rfc3339(text);
  return t ? t->micros : INT64_MIN;
}

}  // namespace

TEST_CASE("an offset is taken away to give the UTC instant") {
  CHECK(micros("2026-01-01T02:00:00+02:00") == k2026);
  CHECK(micros("2025-12-31T18:30:00-05:30") == k2026);
  CHECK(micros("2025-12-31T18:30:00-0530") == k2026);
  CHECK(micros("2026-01-01T03:00:00+03") == k2026);
  CHECK(micros("2026-01-01T15:59:00+15:59") == k2026);
}

TEST_CASE("Z, lower-case z and no zone at all mean UTC") {
  CHECK(micros("2026-01-01T00:00:00Z") == k2026);
  CHECK(micros("2026-01-01T00:00:00z") == k2026);
  CHECK(micros("2026-01-01T00:00:00") == k2026);
  CHECK(micros("2026-01-01T00:00:00+00:00") == k2026);
  CHECK(micros("2026-01-01T00:00:00-00:00") == k2026);
}

TEST_CASE("the date and the time are separated by T, t or a space and nothing else") {
  CHECK(micros("2026-01-01t00:00:00Z") == k2026);
  CHECK(micros("2026-01-01 00:00:00Z") == k2026);
  CHECK(micros("2026-01-01_00:00:00Z") == INT64_MIN);
  CHECK(micros("2026-01-0100:00:00Z") == INT64_MIN);
}

TEST_CASE("one to six fraction digits are that many decimal places of a second") {
  CHECK(micros("2026-01-01T00:00:00.1Z") == k2026 + 100'000);
  CHECK(micros("2026-01-01T00:00:00.12Z") == k2026 + 120'000);
  CHECK(micros("2026-01-01T00:00:00.123Z") == k2026 + 123'000);
  CHECK(micros("2026-01-01T00:00:00.1234Z") == k2026 + 123'400);
  CHECK(micros("2026-01-01T00:00:00.12345Z") == k2026 + 123'450);
  CHECK(micros("2026-01-01T00:00:00.123456Z") == k2026 + 123'456);
  CHECK(micros("2026-01-01T00:00:00.000001Z") == k2026 + 1);
}

TEST_CASE("digits past the sixth are accepted only as zeros, since any other would be lost") {
  CHECK(micros("2026-01-01T00:00:00.123456000Z") == k2026 + 123'456);
  CHECK(micros("2026-01-01T00:00:00.1234560+01:00") == k2026 - 3600 * kSecond + 123'456);
  CHECK(micros("2026-01-01T00:00:00.1234567Z") == INT64_MIN);
  CHECK(micros("2026-01-01T00:00:00.000000001Z") == INT64_MIN);
}

TEST_CASE("February 29th exists in leap years only") {
  CHECK(micros("2024-02-29T00:00:00Z") == micros("2024-03-01T00:00:00Z") - 86'400 * kSecond);
  CHECK(micros("2000-02-29T12:00:00Z") != INT64_MIN);
  CHECK(micros("2023-02-29T00:00:00Z") == INT64_MIN);
  CHECK(micros("1900-02-29T00:00:00Z") == INT64_MIN);
  CHECK(micros("2024-02-30T00:00:00Z") == INT64_MIN);
}

TEST_CASE("impossible fields and malformed texts are refused") {
  for (const char* text : {"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
                           "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                           "2026-01-01T23:59:60Z", "2026-01-01T00:00:00+16:00", "2026-01-01T00:00:00+01:60",
                           "2026-01-01T00:00:00+1:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Z ",
                           "2026-01-01T00:00Z", "2026-1-01T00:00:00Z", "2026-01-01", "yesterday", "",
                           "2026-01-01T00:00:00UTC", "-001-01-01T00:00:00Z"}) {
    INFO(text);
    CHECK_FALSE(parse_rfc3339(text).has_value());
  }
}

TEST_CASE("years 0001 to 9999 in UTC are accepted, and an offset that leaves them is refused") {
  CHECK(micros("0001-01-01T00:00:00Z") == kFirst);
  CHECK(micros("9999-12-31T23:59:59.999999Z") == kLast);
  CHECK(micros("0001-01-01T00:30:00+00:30") == kFirst);
  CHECK(micros("0000-12-31T23:59:59Z") == INT64_MIN);
  CHECK(micros("0001-01-01T00:00:00+01:00") == INT64_MIN);
  CHECK(micros("9999-12-31T23:00:00-02:00") == INT64_MIN);
}

TEST_CASE("instants before 1970 are negative microseconds") {
  CHECK(micros("1970-01-01T00:00:00Z") == 0);
  CHECK(micros("1969-12-31T23:59:59.999999Z") == -1);
  CHECK(micros("1900-01-01T00:00:00Z") == -2'208'988'800 * kSecond);
  CHECK(format_rfc3339(Timestamp{-1}) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_rfc3339(Timestamp{-1'500'000}, 3) == "1969-12-31T23:59:58.500Z");
}

TEST_CASE("instants compare in time order, fractions included") {
  CHECK(*parse_rfc3339("2026-01-01T00:00:00Z") < *parse_rfc3339("2026-01-01T00:00:00.5Z"));
  CHECK(*parse_rfc3339("2026-01-01T01:00:00+02:00") < *parse_rfc3339("2026-01-01T00:00:00Z"));
  CHECK(*parse_rfc3339("2026-01-01T02:00:00+02:00") == *parse_rfc3339("2026-01-01T00:00:00Z"));
}

TEST_CASE("formatting writes UTC with the fraction digits asked for, cut towards the past") {
  const Timestamp t{k2026 + 123'456};
  CHECK(format_rfc3339(t) == "2026-01-01T00:00:00.123456Z");
  CHECK(format_rfc3339(t, 3) == "2026-01-01T00:00:00.123Z");
  CHECK(format_rfc3339(Timestamp{k2026 + 999'999}, 3) == "2026-01-01T00:00:00.999Z");
  CHECK(format_rfc3339(t, 1) == "2026-01-01T00:00:00.1Z");
  CHECK(format_rfc3339(t, 0) == "2026-01-01T00:00:00Z");
  CHECK(format_rfc3339(t, -1) == "2026-01-01T00:00:00Z");
  CHECK(format_rfc3339(t, 9) == "2026-01-01T00:00:00.123456Z");
  CHECK(format_rfc3339(Timestamp{kFirst}) == "0001-01-01T00:00:00.000000Z");
  CHECK(format_rfc3339(Timestamp{kLast}) == "9999-12-31T23:59:59.999999Z");
}

TEST_CASE("every instant in range comes back from its text, and every accepted text formats canonically") {
  // A deterministic spread over the whole range, both ends included.
  uint64_t state = 12345;
  const auto span = static_cast<uint64_t>(kLast - kFirst);
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const Timestamp t{i == 0 ? kFirst : i == 1 ? kLast : kFirst + static_cast<int64_t>(state % span)};
    INFO(t.micros);
    REQUIRE(parse_rfc3339(format_rfc3339(t)) == t);
    const Timestamp millis{t.micros - ((t.micros % 1000) + 1000) % 1000};
    REQUIRE(parse_rfc3339(format_rfc3339(millis, 3)) == millis);
  }
  CHECK(format_rfc3339(*parse_rfc3339("2026-01-01 10:00:00.5+02:00")) == "2026-01-01T08:00:00.500000Z");
  CHECK(format_rfc3339(*parse_rfc3339("2026-03-01t01:00:00+0130")) == "2026-02-28T23:30:00.000000Z");
  CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:00:00-05")) == "2024-03-01T04:00:00.000000Z");
}

TEST_CASE("instants outside years 0001-9999 are written with their own year, in a text the parser refuses") {
  CHECK(format_rfc3339(Timestamp{kLast + 1}) == "10000-01-01T00:00:00.000000Z");
  CHECK(format_rfc3339(Timestamp{kFirst - 1}) == "0000-12-31T23:59:59.999999Z");
  CHECK(format_rfc3339(Timestamp{kFirst - 367 * 86'400 * kSecond}) == "-0001-12-31T00:00:00.000000Z");
  CHECK(format_rfc3339(Timestamp{INT64_MAX}) == "294247-01-10T04:00:54.775807Z");
  CHECK(format_rfc3339(Timestamp{INT64_MIN}) == "-290308-12-21T19:59:05.224192Z");
  for (int64_t m : {kLast + 1, kFirst - 1, INT64_MAX, INT64_MIN}) {
    INFO(m);
    CHECK_FALSE(parse_rfc3339(format_rfc3339(Timestamp{m})).has_value());
  }
}

TEST_CASE("a date is the instant its day starts in UTC, and only a whole real date is one") {
  CHECK(parse_date("2026-01-01") == Timestamp{k2026});
  CHECK(parse_date("0001-01-01") == Timestamp{kFirst});
  CHECK(parse_date("2024-02-29").has_value());
  CHECK_FALSE(parse_date("2023-02-29").has_value());
  CHECK_FALSE(parse_date("0000-01-01").has_value());
  CHECK_FALSE(parse_date("2023-1-01").has_value());
  CHECK_FALSE(parse_date("2026-01-01T00:00:00Z").has_value());
  CHECK_FALSE(parse_date("2026-01-01 ").has_value());
}
