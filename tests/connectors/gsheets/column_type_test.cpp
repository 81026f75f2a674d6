// Type inference from sampled cells: formats decide dates and times, values
// must agree, else string; empty cells do not vote.
#include "column_type.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;
using Kind = SampleCell::Kind;

namespace {
ColumnType vote(std::initializer_list<SampleCell> cells) {
  TypeVote v;
  for (const auto& cell : cells) v.add(cell);
  return v.result();
}
SampleCell num(double value, std::string format = "") { return {Kind::number, value, std::move(format)}; }
}  // namespace

TEST_CASE("number formats decide date, date-time and time - whole numbers are integers") {
  CHECK(vote({num(45413, "DATE"), num(45414.5, "DATE")}) == ColumnType::date);
  CHECK(vote({num(45413.25, "DATE_TIME")}) == ColumnType::date_time);
  CHECK(vote({num(0.5, "TIME"), num(1.25, "TIME")}) == ColumnType::time);
  CHECK(vote({num(1), num(2, "NUMBER")}) == ColumnType::integer);
  CHECK(vote({num(1), num(2.5)}) == ColumnType::number);
  CHECK(vote({num(1e300)}) == ColumnType::number);  // past 2^53: not an exact integer
}

TEST_CASE("currency and percentages are numbers even when whole (100% is 1)") {
  CHECK(vote({num(10, "CURRENCY"), num(12, "CURRENCY")}) == ColumnType::number);
  CHECK(vote({num(1, "PERCENT")}) == ColumnType::number);
}

TEST_CASE("a column whose values disagree is string - empty cells do not vote - all empty is string") {
  CHECK(vote({num(1), {Kind::string, 0, ""}}) == ColumnType::string);
  CHECK(vote({num(45413, "DATE"), num(3)}) == ColumnType::string);
  CHECK(vote({{Kind::empty, 0, ""}, {Kind::boolean, 0, ""}, {Kind::empty, 0, ""}}) == ColumnType::boolean);
  CHECK(vote({{Kind::empty, 0, "DATE"}}) == ColumnType::string);
  CHECK(vote({}) == ColumnType::string);
}

TEST_CASE("type names round-trip and unknown ones are refused") {
  for (auto type : {ColumnType::string, ColumnType::number, ColumnType::integer, ColumnType::boolean, ColumnType::date,
                    ColumnType::time, ColumnType::date_time}) {
    CHECK(parse_column_type(to_string(type)) == type);
  }
  CHECK_FALSE(parse_column_type("datetime"));
  CHECK(boost::json::serialize(json_schema(ColumnType::date_time)) == R"({"type":["string","null"],"format":"date-time"})");
}
