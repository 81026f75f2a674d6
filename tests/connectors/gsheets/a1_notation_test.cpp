// A1 notation the connector writes, read back by the fake's independent parser.
#include "a1_notation.hpp"
#include "fake_a1.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;

namespace {
bool no_sheet(const std::string&, const void*) { return false; }
}  // namespace

TEST_CASE("sheet titles are quoted when Google's A1 rules need it, quotes doubled") {
  CHECK(quoted_sheet_title("Orders") == "Orders");
  CHECK(quoted_sheet_title("Sheet_1") == "Sheet_1");
  CHECK(quoted_sheet_title("My Customers") == "'My Customers'");
  CHECK(quoted_sheet_title("Jon's Data") == "'Jon''s Data'");
  CHECK(quoted_sheet_title("A1") == "'A1'");        // reads as a cell
  CHECK(quoted_sheet_title("XFD100") == "'XFD100'");
  CHECK(quoted_sheet_title("R1C1") == "'R1C1'");     // reads as R1C1 notation
  CHECK(quoted_sheet_title("2024") == "'2024'");
  CHECK(quoted_sheet_title("Q2-Orders!") == "'Q2-Orders!'");
  CHECK(quoted_sheet_title("Übersicht") == "'Übersicht'");
  CHECK(quoted_sheet_title("") == "''");
}

TEST_CASE("column letters run A..Z, AA..ZZ, AAA") {
  CHECK(column_letters(1) == "A");
  CHECK(column_letters(26) == "Z");
  CHECK(column_letters(27) == "AA");
  CHECK(column_letters(52) == "AZ");
  CHECK(column_letters(702) == "ZZ");
  CHECK(column_letters(703) == "AAA");
}

TEST_CASE("a row window's range parses back to the same sheet, rows and columns") {
  for (const std::string title : {"Orders", "Jon's Data", "A1", "''", "x!y:z", "R1C1"}) {
    const std::string range = row_range(title, 2, 10001, 28);
    const auto parsed = gsheets_fake::parse_a1(range, no_sheet, nullptr);
    INFO(range);
    REQUIRE(parsed);
    CHECK(parsed->sheet == title);
    CHECK(parsed->first_row == 2);
    CHECK(parsed->last_row == 10001);
    CHECK(parsed->first_column == 1);
    CHECK(parsed->last_column == 28);
  }
  CHECK(row_range("Orders", 2, 201, 6) == "Orders!A2:F201");
  CHECK(row_range("My Customers", 202, 401, 8) == "'My Customers'!A202:H401");
}

TEST_CASE("the fake reads open-ended, whole-sheet and bare ranges as the guide describes") {
  auto sheet_named_orders = [](const std::string& text, const void*) { return text == "Orders"; };
  const auto whole = gsheets_fake::parse_a1("Orders", sheet_named_orders, nullptr);
  REQUIRE(whole);
  CHECK(whole->whole_sheet);
  const auto rows = gsheets_fake::parse_a1("Orders!1:201", no_sheet, nullptr);
  REQUIRE(rows);
  CHECK((rows->first_row == 1 && rows->last_row == 201 && rows->first_column == 0));
  const auto open = gsheets_fake::parse_a1("Sheet1!A5:A", no_sheet, nullptr);
  REQUIRE(open);
  CHECK((open->first_row == 5 && open->last_row == 0 && open->last_column == 1));
  const auto bare = gsheets_fake::parse_a1("A1:B2", no_sheet, nullptr);
  REQUIRE(bare);
  CHECK(bare->sheet.empty());
  CHECK_FALSE(gsheets_fake::parse_a1("'Unclosed!A1", no_sheet, nullptr));
  CHECK_FALSE(gsheets_fake::parse_a1("Orders!A0:B2", no_sheet, nullptr));
}
