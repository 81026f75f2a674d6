// The --format writers of `sluice query` (host/query/result_writer.hpp).
#include "host/query/result_writer.hpp"
#include "host/sync/number_literals.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

namespace {

std::vector<ResultColumn> columns(std::initializer_list<std::pair<const char*, const char*>> list) {
  std::vector<ResultColumn> out;
  for (auto [name, type] : list) out.push_back({name, json::object{{"type", type}}, ""});
  return out;
}

// Writes `rows` (JSON array texts) through a writer of `format`.
std::string write(ResultFormat format, const std::vector<ResultColumn>& cols, const std::vector<std::string>& rows,
                  bool truncated = false) {
  std::string out;
  auto writer = make_result_writer(format, [&](std::string_view text) { out.append(text); });
  writer->begin(cols);
  QueryOutcome outcome;
  for (const auto& text : rows) {
    json::value row = json::parse(has_inexact_number(text) ? mark_inexact_numbers(text) : text);
    writer->row(row.as_array(), text);
    ++outcome.rows;
  }
  outcome.truncated = truncated;
  outcome.truncated_by = "--limit-rows 2";
  outcome.facts = {{"statement_id", "s1"}};
  writer->end(outcome);
  return out;
}

}  // namespace

TEST_CASE("csv quotes a cell with a comma, quote, CR or LF, and tells a null from an empty string") {
  auto cols = columns({{"id", "integer"}, {"note", "string"}});
  CHECK(write(ResultFormat::csv, cols,
              {R"([1,"a,b"])", R"([2,"say \"hi\""])", R"([3,"two\nlines"])", R"([4,null])", R"([5,""])",
               R"([6,"plain"])"}) ==
        "id,note\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,\r\n5,\"\"\r\n6,plain\r\n");
}

TEST_CASE("numbers keep their digits in every format: a 40-digit decimal is never rounded") {
  auto cols = columns({{"big", "number"}, {"x", "number"}});
  const std::string row = "[1234567890123456789012345678901234567890.5,2.5]";
  CHECK(write(ResultFormat::csv, cols, {row}) == "big,x\r\n1234567890123456789012345678901234567890.5,2.5\r\n");
  CHECK(write(ResultFormat::ndjson, cols, {row}) ==
        "{\"big\":1234567890123456789012345678901234567890.5,\"x\":2.5}\n");
  CHECK_THAT(write(ResultFormat::json, cols, {row}), Catch::Contains("\n" + row + "\n]"));
  CHECK_THAT(write(ResultFormat::table, cols, {row}), Catch::Contains("1234567890123456789012345678901234567890.5"));
}

TEST_CASE("ndjson writes one object per row in column order, a repeated column name getting _2") {
  auto cols = columns({{"id", "integer"}, {"id", "integer"}, {"doc", "object"}});
  CHECK(write(ResultFormat::ndjson, cols, {R"([1,2,{"k":[1,"v"]}])"}) ==
        "{\"id\":1,\"id_2\":2,\"doc\":{\"k\":[1,\"v\"]}}\n");
}

TEST_CASE("json is one document with the columns, the rows as the source sent them, the count, truncation and facts") {
  auto cols = columns({{"id", "integer"}});
  const std::string text = write(ResultFormat::json, cols, {"[1]", "[2]"}, true);
  json::value doc = json::parse(text);
  CHECK(doc.at("columns").as_array().size() == 1);
  CHECK(doc.at("rows") == json::parse("[[1],[2]]"));
  CHECK(doc.at("row_count") == 2);
  CHECK(doc.at("truncated") == true);
  CHECK(doc.at("facts").at("statement_id") == "s1");
  CHECK(json::parse(write(ResultFormat::json, cols, {})).at("rows").as_array().empty());
}

TEST_CASE("table sizes its columns from the first rows, shows NULL and escaped newlines, cuts long cells and counts rows") {
  auto cols = columns({{"id", "integer"}, {"note", "string"}});
  CHECK(write(ResultFormat::table, cols, {R"([1,"a\nb"])", R"([22,null])"}) ==
        "id | note\n"
        "---+-----\n"
        " 1 | a\\nb\n"
        "22 | NULL\n"
        "(2 rows)\n");
  const std::string long_text(100, 'x');
  const std::string table = write(ResultFormat::table, cols, {"[1,\"" + long_text + "\"]"}, true);
  CHECK_THAT(table, Catch::Contains(std::string(kTableCellWidth - 1, 'x') + "\u2026\n"));
  CHECK_THAT(table, Catch::EndsWith("(1 row, truncated by --limit-rows 2)\n"));
  // Rows after the sample keep the sample's widths.
  std::vector<std::string> rows;
  for (size_t i = 0; i < kTableSampleRows; ++i) rows.push_back("[1,\"ab\"]");
  rows.push_back("[2,\"abcdef\"]");
  CHECK_THAT(write(ResultFormat::table, cols, rows), Catch::Contains("\n 2 | abc\u2026\n"));
}

TEST_CASE("an unknown --format and malformed columns are refused in one line") {
  CHECK_THROWS_WITH(parse_result_format("xml"), "--format must be table, csv, ndjson or json, got \"xml\"");
  CHECK_THROWS_WITH(parse_result_columns("{}"), "the result's columns are not a JSON array");
  CHECK_THROWS_WITH(parse_result_columns("[]"), "the result has no columns");
  CHECK_THROWS_WITH(parse_result_columns(R"([{"schema":{}}])"), "column 1 of the result has no \"name\"");
  auto parsed = parse_result_columns(R"([{"name":"n","schema":{"type":"integer"},"source_type":"int8"}])");
  CHECK(parsed.at(0).source_type == "int8");
}
