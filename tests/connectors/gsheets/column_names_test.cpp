// The documented column-name rule: empty, duplicate, reserved and hostile headers.
#include "column_names.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;
using Names = std::vector<std::string>;

TEST_CASE("empty headers are column_N by position - repeats get _2, _3 ignoring case") {
  CHECK(column_names({"amount", "", "Amount", "amount", "x"}, 7, NameRule::header) ==
        Names{"amount", "column_2", "Amount_2", "amount_3", "x", "column_6", "column_7"});
}

TEST_CASE("a suffix already taken by a real header moves on to the next free one") {
  CHECK(column_names({"a", "a_2", "a", "column_4", ""}, 5, NameRule::header) == Names{"a", "a_2", "a_3", "column_4", "column_5"});
  CHECK(column_names({"column_2", ""}, 2, NameRule::header) == Names{"column_2", "column_2_2"});
}

TEST_CASE("whitespace and control characters collapse - the host's _sluice columns are never shadowed") {
  CHECK(column_names({"  Unit\tPrice \n (EUR) ", "\x01\x02", "_sluice_extra", "_SLUICE_x"}, 4, NameRule::header) ==
        Names{"Unit Price (EUR)", "column_2", "column_3", "column_4"});
}

TEST_CASE("snake_case lower-cases ASCII, joins other runs with one _, keeps non-ASCII letters") {
  CHECK(column_names({"Order ID", "Unit Price (EUR)", "--", "Größe m²"}, 4, NameRule::snake_case) ==
        Names{"order_id", "unit_price_eur", "column_3", "größe_m²"});
}

TEST_CASE("names are cut to 100 bytes, never inside a UTF-8 character") {
  std::string long_header(99, 'a');
  long_header += "é and more";
  const auto names = column_names({long_header}, 1, NameRule::header);
  CHECK(names[0] == std::string(99, 'a'));
  CHECK(column_names({std::string(300, 'b')}, 1, NameRule::header)[0].size() == 100);
}
