// The CSV reader of uploads (host/ingest/csv_reader.hpp): RFC 4180 quoting,
// per-row errors with their places, limits, the header and its mapping, and
// the same result however the input is cut into chunks.
#include "host/ingest/csv_reader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sluice::host;

namespace {

// Everything the reader said, one line each, in order: "2 {...}" for a row,
// "error line 3, column 2 (\"b\"): ..." for a rejected row, then
// "read N rejected M", or "failed line ...: ..." when the upload failed.
std::vector<std::string> read_chunks(const std::vector<std::string_view>& chunks, CsvOptions options = {}) {
  std::vector<std::string> said;
  CsvReader reader(
      std::move(options), [&](const CsvRow& row) { said.push_back(std::to_string(row.line) + " " + std::string(row.json)); },
      [&](const CsvRowError& error) { said.push_back("error " + error.text()); });
  try {
    for (auto chunk : chunks) reader.feed(chunk);
    const CsvSummary summary = reader.finish();
    said.push_back("read " + std::to_string(summary.rows_read) + " rejected " + std::to_string(summary.rows_rejected));
  } catch (const BadCsv& e) {
    said.push_back(std::string("failed ") + e.what());
  }
  return said;
}

std::vector<std::string> read(std::string_view csv, CsvOptions options = {}) {
  return read_chunks({csv}, std::move(options));
}

using Said = std::vector<std::string>;

}  // namespace

TEST_CASE("a quoted cell keeps its delimiters, line breaks and doubled quotes as data") {
  CHECK(read("a,b\n\"x,y\",\"say \"\"hi\"\"\r\nand \\ go\"\n") ==
        Said{R"(2 {"a":"x,y","b":"say \"hi\"\r\nand \\ go"})", "read 1 rejected 0"});
}

TEST_CASE("records end at CRLF or LF, and a last record without a line end is read") {
  CHECK(read("a,b\r\n1,2\n3,4\r\n5,6") ==
        Said{R"(2 {"a":"1","b":"2"})", R"(3 {"a":"3","b":"4"})", R"(4 {"a":"5","b":"6"})", "read 3 rejected 0"});
}

TEST_CASE("a lone CR inside an unquoted cell is data, not a line end") {
  CHECK(read("a,b\nx\ry,2\n") == Said{R"(2 {"a":"x\ry","b":"2"})", "read 1 rejected 0"});
}

TEST_CASE("empty lines are skipped and still count in line numbers") {
  CHECK(read("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n") ==
        Said{R"(5 {"a":"1","b":"2"})", R"(8 {"a":"3","b":"4"})", "read 2 rejected 0"});
}

TEST_CASE("line numbers count the line breaks inside quoted cells and name a row's first line") {
  CHECK(read("a,b\n\"1\n2\n3\",x\n\"4\r\n5\",\"a\"b\n6,y\n") ==
        Said{R"(2 {"a":"1\n2\n3","b":"x"})", "error line 5, column 2 (\"b\"): text after the closing quote",
             R"(7 {"a":"6","b":"y"})", "read 3 rejected 1"});
}

TEST_CASE("an error names its column's field as a JSON string, so a header name with a line break keeps it one line") {
  CHECK(read("\"a\nb\",c\nx\"y,2\n") ==
        Said{R"(error line 3, column 1 ("a\nb"): a quote inside an unquoted cell)", "read 1 rejected 1"});
}

TEST_CASE("a UTF-8 byte order mark at the start is skipped, and elsewhere it is data") {
  CHECK(read("\xEF\xBB\xBF" "id\n\xEF\xBB\xBF" "1\n") == Said{"2 {\"id\":\"\xEF\xBB\xBF" "1\"}", "read 1 rejected 0"});
  // Cut after each of its bytes.
  CHECK(read_chunks({"\xEF", "\xBB", "\xBF", "id\n1\n"}) == Said{R"(2 {"id":"1"})", "read 1 rejected 0"});
  // A start that is only like a BOM is read as it is.
  CHECK(read_chunks({"\xEF\xBB", "x\n1\n"}) == Said{"failed line 1, column 1: the header's name is not UTF-8"});
}

TEST_CASE("an empty cell is null by default or an empty string when asked, and a quoted empty cell is an empty string") {
  CHECK(read("a,b,c\n,\"\",\n") == Said{R"(2 {"a":null,"b":"","c":null})", "read 1 rejected 0"});
  CsvOptions options;
  options.empty_cell_is_empty_string = true;
  CHECK(read("a,b,c\n,\"\",\n", options) == Said{R"(2 {"a":"","b":"","c":""})", "read 1 rejected 0"});
}

TEST_CASE("a semicolon or tab delimiter splits cells, and a comma is then data") {
  CsvOptions semicolon;
  semicolon.delimiter = ';';
  CHECK(read("a;b\n1,5;\"x;y\"\n", semicolon) == Said{R"(2 {"a":"1,5","b":"x;y"})", "read 1 rejected 0"});
  CsvOptions tab;
  tab.delimiter = '\t';
  CHECK(read("a\tb\n1,5\t\"x\ty\"\n", tab) == Said{R"(2 {"a":"1,5","b":"x\ty"})", "read 1 rejected 0"});
}

TEST_CASE("a quote inside an unquoted cell rejects the row with its line and column, and the next row reads") {
  CHECK(read("a,b,c\n1,x\"y,3\n 4,\"5\",6\n7,8,9\n") ==
        Said{"error line 2, column 2 (\"b\"): a quote inside an unquoted cell",
             R"(3 {"a":" 4","b":"5","c":"6"})", R"(4 {"a":"7","b":"8","c":"9"})", "read 3 rejected 1"});
  // A quote after a space is inside an unquoted cell too, and opens nothing:
  // the row still ends at its line end.
  CHECK(read("a,b\n1, \"x\n2,y\n") ==
        Said{"error line 2, column 2 (\"b\"): a quote inside an unquoted cell", R"(3 {"a":"2","b":"y"})",
             "read 2 rejected 1"});
}

TEST_CASE("text after a closing quote rejects the row with its line and column, and the next row reads") {
  CHECK(read("a,b\n\"1\"x,2\n3,\"4\" \n5,\"6\"\r7\n8,9\n") ==
        Said{"error line 2, column 1 (\"a\"): text after the closing quote",
             "error line 3, column 2 (\"b\"): text after the closing quote",
             "error line 4, column 2 (\"b\"): text after the closing quote", R"(5 {"a":"8","b":"9"})",
             "read 4 rejected 3"});
}

TEST_CASE("a quoted cell still open at the end of the input rejects its row, named by the line it started on") {
  CHECK(read("a,b\n1,2\n3,\"4\n5,6\n") ==
        Said{R"(2 {"a":"1","b":"2"})", "error line 3, column 2 (\"b\"): a quoted cell is still open at the end of the input",
             "read 2 rejected 1"});
}

TEST_CASE("a row with more or fewer cells than the header is rejected naming both counts") {
  CHECK(read("a,b,c\n1,2\n1,2,3,4,5\n1,2,3\n") ==
        Said{"error line 2, column 3 (\"c\"): the row has 2 cells where the header has 3",
             "error line 3, column 4: the row has 5 cells where the header has 3",
             R"(4 {"a":"1","b":"2","c":"3"})", "read 3 rejected 2"});
}

TEST_CASE("a cell that is not UTF-8 rejects its row, and text in UTF-8 passes") {
  CHECK(read("a,b\n\xC3\xA9t\xC3\xA9,\xF0\x9F\x98\x80\nok,\xC3\x28\nok,\xED\xA0\x80\n") ==
        Said{"2 {\"a\":\"\xC3\xA9t\xC3\xA9\",\"b\":\"\xF0\x9F\x98\x80\"}",
             "error line 3, column 2 (\"b\"): the cell is not UTF-8", "error line 4, column 2 (\"b\"): the cell is not UTF-8",
             "read 3 rejected 2"});
}

TEST_CASE("any cut of a tricky input into two chunks, or into single bytes, reads the same as one chunk") {
  const std::string csv =
      "\xEF\xBB\xBF" "id,\"note\",n\r\n"
      "1,\"a,\"\"b\"\"\r\nc\",\r\n"
      "\r\n"
      "2,x\"y,3\n"
      "3,\"q\"r,\"\n\"\r\n"
      "4,\"\",\xC3\xA9\r"
      "\n5,,\"ends\"\r\n"
      "6,\"open\r\n";
  const Said whole = read(csv);
  REQUIRE(whole == Said{R"(2 {"id":"1","note":"a,\"b\"\r\nc","n":null})",
                        "error line 5, column 2 (\"note\"): a quote inside an unquoted cell",
                        "error line 6, column 2 (\"note\"): text after the closing quote",
                        "8 {\"id\":\"4\",\"note\":\"\",\"n\":\"\xC3\xA9\"}", R"(9 {"id":"5","note":null,"n":"ends"})",
                        "error line 10, column 2 (\"note\"): a quoted cell is still open at the end of the input",
                        "read 6 rejected 3"});
  for (std::size_t cut = 0; cut <= csv.size(); ++cut) {
    const std::string_view all(csv);
    INFO("cut at byte " << cut);
    CHECK(read_chunks({all.substr(0, cut), all.substr(cut)}) == whole);
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < csv.size(); ++i) bytes.push_back(std::string_view(csv).substr(i, 1));
  CHECK(read_chunks(bytes) == whole);
}

TEST_CASE("a cell over the cell limit rejects its row only, unquoted or quoted within the record, and the next row reads") {
  CsvOptions options;
  options.max_field_bytes = 4;
  CHECK(read("a,b\n1234,\"1\"\"34\"\n12345,2\n3,4\n", options) ==
        Said{R"(2 {"a":"1234","b":"1\"34"})", "error line 3, column 1 (\"a\"): the cell is longer than 4 bytes (the cell limit)",
             R"(4 {"a":"3","b":"4"})", "read 3 rejected 1"});
}

TEST_CASE("a record over the record limit rejects its row only, even inside a quoted cell, and the next row reads") {
  CsvOptions options;
  options.max_field_bytes = 8;
  options.max_record_bytes = 10;  // its cells' bytes and one per cell
  CHECK(read("a,b\n1234,5678\n1234,\"56\n789\"\n1234,56789\n1,2\n", options) ==
        Said{R"(2 {"a":"1234","b":"5678"})",
             "error line 3, column 2 (\"b\"): the record is longer than 10 bytes (the record limit)",
             "error line 5, column 2 (\"b\"): the record is longer than 10 bytes (the record limit)",
             R"(6 {"a":"1","b":"2"})", "read 4 rejected 2"});
}

TEST_CASE("a cell that crosses both limits is rejected for the one it crosses first, however the input is cut") {
  CsvOptions options;
  options.max_field_bytes = 8;
  options.max_record_bytes = 12;
  // Row 2 crosses the record limit at its cell's 8th byte, before the cell
  // limit; row 3 crosses the cell limit first.
  const std::string csv = "a,b\n1234,567890123\n1,123456789\n1,2\n";
  const Said expected{"error line 2, column 2 (\"b\"): the record is longer than 12 bytes (the record limit)",
                      "error line 3, column 2 (\"b\"): the cell is longer than 8 bytes (the cell limit)",
                      R"(4 {"a":"1","b":"2"})", "read 3 rejected 2"};
  for (std::size_t cut = 0; cut <= csv.size(); ++cut) {
    INFO("cut at byte " << cut);
    CHECK(read_chunks({std::string_view(csv).substr(0, cut), std::string_view(csv).substr(cut)}, options) == expected);
  }
}

TEST_CASE("a line of delimiters alone is bounded by the record limit") {
  CsvOptions options;
  options.max_record_bytes = 100;
  const std::string commas(1000, ',');
  CHECK(read("a\n" + commas + "\n1\n", options) ==
        Said{"error line 2, column 101: the record is longer than 100 bytes (the record limit)", R"(3 {"a":"1"})",
             "read 2 rejected 1"});
}

TEST_CASE("a quoted cell that runs past the cell limit fails the rest of the upload with one line, and the reader stays spent") {
  CsvOptions options;
  options.max_field_bytes = 16;
  std::vector<std::string> said;
  CsvReader reader(options, [&](const CsvRow& row) { said.emplace_back(row.json); },
                   [&](const CsvRowError& error) { said.push_back(error.text()); });
  const std::string message =
      "line 3, column 2: a quoted cell runs past 16 bytes (the cell limit): an unbalanced quote? The end of its "
      "record cannot be found, so the rest of the upload is not read";
  reader.feed("a,b\n1,2\n3,\"unbalanced\n");
  CHECK_THROWS_WITH(reader.feed("4,5\n6,7\n8,9\n"), message);
  CHECK_THROWS_WITH(reader.feed("10,11\n"), message);
  CHECK_THROWS_WITH(reader.finish(), message);
  CHECK(said == Said{R"({"a":"1","b":"2"})"});
  CHECK(reader.summary().rows_read == 1);
}

TEST_CASE("the header mapping renames columns to fields and keeps the others") {
  CsvOptions options;
  options.rename = {{"Customer ID", "customer_id"}, {"Amount (EUR)", "amount"}};
  CHECK(read("Customer ID,Amount (EUR),note\nc1,9.5,x\n", options) ==
        Said{R"(2 {"customer_id":"c1","amount":"9.5","note":"x"})", "read 1 rejected 0"});
}

TEST_CASE("a header naming a field twice is refused with one line naming each field and its columns") {
  CHECK(read("id,a,id,b,a,id\n1,2,3,4,5,6\n") ==
        Said{R"(failed line 1: the header names a field twice: "id" in columns 1 and 3 and 6, "a" in columns 2 and 5)"});
  CsvOptions options;
  options.rename = {{"Customer ID", "customer_id"}};
  CHECK(read("\nCustomer ID,customer_id\n", options) ==
        Said{R"(failed line 2: the header names a field twice: "customer_id" in columns 1 ("Customer ID") and 2)"});
}

TEST_CASE("a header with empty names is refused naming their columns") {
  CHECK(read("a,,b,\"\"\n1,2,3,4\n") == Said{"failed line 1: the header has columns without a name: 2, 4"});
  CsvOptions options;
  options.rename = {{"a", ""}};
  CHECK(read("a,b\n", options) == Said{"failed line 1: the header has columns without a name: 1"});
}

TEST_CASE("a header mapping that renames a column the header does not have is refused") {
  CsvOptions options;
  options.rename = {{"Customer Id", "customer_id"}, {"id", "event_id"}};
  CHECK(read("Customer ID,id\n", options) ==
        Said{R"(failed line 1: the header mapping renames columns the header does not have: "Customer Id")"});
}

TEST_CASE("a header with broken quoting, a name not in UTF-8 or over a limit fails the upload with its place") {
  CHECK(read("a,b\"c\n1,2\n") == Said{"failed line 1, column 2: the header row cannot be read: a quote inside an unquoted cell"});
  CHECK(read("a,\"b\n") ==
        Said{"failed line 1, column 2: the header row cannot be read: a quoted cell is still open at the end of the input"});
  CHECK(read("a,\xFF\n") == Said{"failed line 1, column 2: the header's name is not UTF-8"});
  CsvOptions options;
  options.max_field_bytes = 3;
  CHECK(read("abcd\n", options) ==
        Said{"failed line 1, column 1: the header row cannot be read: the cell is longer than 3 bytes (the cell limit)"});
}

TEST_CASE("an upload without a header fails, and a header alone reads no rows") {
  CHECK(read("") == Said{"failed line 1: the upload has no header row"});
  CHECK(read("\xEF\xBB\xBF\r\n\n") == Said{"failed line 3: the upload has no header row"});
  CHECK(read("a,b") == Said{"read 0 rejected 0"});
}

TEST_CASE("a delimiter that cannot separate cells and a zero limit are refused when the reader is made") {
  for (char delimiter : {'"', '\n', '\r', '\xE9'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    CHECK_THROWS_WITH(CsvReader(options, {}, {}),
                      "the CSV delimiter cannot be a quote, a line break or a non-ASCII byte");
  }
  CsvOptions options;
  options.max_record_bytes = 0;
  CHECK_THROWS_WITH(CsvReader(options, {}, {}), "the CSV cell and record limits must be above 0");
}
