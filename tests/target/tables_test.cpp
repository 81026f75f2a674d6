// How streams become tables on every target: hostile identifiers, long
// names, schema drift, values that do not fit, fields outside the schema,
// and namespace rules.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEMPLATE_TEST_CASE("hostile stream and field names are normalised, quoted, and round-trip their values", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object properties{{"id", {{"type", "integer"}}},
                          {"select", {{"type", "string"}}},
                          {"\"; DROP TABLE t; --", {{"type", "string"}}},
                          {"`; DROP TABLE t; --", {{"type", "string"}}},
                          {"Amount (USD)", {{"type", "number"}}},
                          {"prénom", {{"type", "string"}}},
                          {"数量", {{"type", "integer"}}},
                          {"SELECT", {{"type", "string"}}}};
  json::array records{json::object{{"id", 1}, {"select", "s"}, {"\"; DROP TABLE t; --", "x'y\"z\\"},
                                   {"`; DROP TABLE t; --", "back`tick"}, {"Amount (USD)", 12.5},
                                   {"prénom", "Zoë 🙂"}, {"数量", 7}, {"SELECT", "upper"}}};
  auto stream = scripted_stream("Usage Events\"; DROP TABLE t; --", properties, records);
  stream.erase("cursor");
  f.write_scripted({stream}, {mode("Usage Events\"; DROP TABLE t; --", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  REQUIRE(f.db->tables() == std::vector<std::string>{"usage_events_drop_table_t"});
  CHECK(f.rows("SELECT id, \"select\", drop_table_t, drop_table_t_2, amount_usd, \"prénom\", \"数量\", select_2 "
               "FROM usage_events_drop_table_t") ==
        Rows{{"1", "s", "x'y\"z\\", "back`tick", "12.5", "Zoë 🙂", "7", "upper"}});
}

TEMPLATE_TEST_CASE("names longer than the engine allows are cut with a hash, in every mode", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const std::string long_name(140, 'n');
  const size_t limit = TestType::engine == Engine::sqlite ? 128 : TestType::engine == Engine::postgres ? 63 : 64;
  json::object properties = numbered_properties();
  properties[std::string(140, 'c') + "1"] = {{"type", "string"}};
  properties[std::string(140, 'c') + "2"] = {{"type", "string"}};
  json::array records = numbered_records(1, 3);
  for (auto& r : records) {
    r.as_object()[std::string(140, 'c') + "1"] = "one";
    r.as_object()[std::string(140, 'c') + "2"] = "two";
  }
  for (std::string sync_mode : {"full_refresh_overwrite", "full_refresh_overwrite", "incremental_append_dedup"}) {
    f.write_scripted({scripted_stream(long_name, properties, records)}, {mode(long_name, sync_mode)});
    auto run = f.sync();
    INFO(sync_mode << ": " << run.all());
    REQUIRE(run.exit_code == 0);
  }
  auto tables = f.db->tables();
  REQUIRE(tables.size() == 1);
  CHECK(tables[0].size() == limit);
  CHECK(tables[0].rfind("nnnn", 0) == 0);
  CHECK(f.count(tables[0]) == 3);
  // The two long columns stay distinct after the cut.
  CHECK(f.value("SELECT COUNT(*) FROM " + f.db->table_sql("", tables[0]) + " WHERE _sluice_uncast IS NULL") == "3");
}

TEMPLATE_TEST_CASE("a new field in the source's schema adds a column and keeps every existing row", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 4))},
                   {mode("items", "incremental_append")});
  REQUIRE(f.sync().exit_code == 0);

  auto properties = numbered_properties();
  properties["plan"] = {{"type", "string"}};
  properties["seats"] = {{"type", "integer"}};
  json::array records = numbered_records(1, 6);
  for (auto& r : records) {
    r.as_object()["plan"] = "pro";
    r.as_object()["seats"] = 3;
  }
  f.write_scripted({scripted_stream("items", properties, records)}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("new field plan added as column plan"));
  CHECK(f.rows("SELECT id, plan, seats FROM items ORDER BY id") ==
        Rows{{"1", "NULL", "NULL"}, {"2", "NULL", "NULL"}, {"3", "NULL", "NULL"}, {"4", "NULL", "NULL"},
             {"5", "pro", "3"}, {"6", "pro", "3"}});
}

TEMPLATE_TEST_CASE("fields outside the schema land in _sluice_extra, misfit values in _sluice_uncast, with a warning",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::array records{
      json::object{{"id", 1}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "ok"}, {"surprise", json::object{{"k", 1}}}},
      json::object{{"id", "not a number"}, {"ts", "2026-01-01T00:00:01Z"}, {"v", "bad id"}},
      json::object{{"id", "18446744073709551616"}, {"ts", "2026-01-01T00:00:02Z"}, {"v", "huge id"}},
      json::object{{"id", "42"}, {"ts", "2026-01-01T00:00:03Z"}, {"v", 3.5}},
  };
  auto stream = scripted_stream("items", numbered_properties(), records);
  f.write_scripted({stream}, {mode("items", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("2 value(s) of field id did not fit the column type"));
  auto rows = f.rows("SELECT id, v, _sluice_extra, _sluice_uncast FROM items ORDER BY ts");
  REQUIRE(rows.size() == 4);
  const Rows expected{{"1", "ok", R"({"surprise":{"k":1}})", "NULL"},
                      {"NULL", "bad id", "NULL", R"({"id":"not a number"})"},
                      {"NULL", "huge id", "NULL", R"({"id":"18446744073709551616"})"},
                      {"42", "3.5", "NULL", "NULL"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(rows[i][0] == expected[i][0]);
    CHECK(rows[i][1] == expected[i][1]);
    CHECK(same_json(rows[i][2], expected[i][2]));
    CHECK(same_json(rows[i][3], expected[i][3]));
  }
}

TEMPLATE_TEST_CASE("values a column type cannot hold go whole to _sluice_uncast and never fail the sync", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object properties{{"id", {{"type", "integer"}}},
                          {"n", {{"type", "integer"}}},
                          {"x", {{"type", "number"}}},
                          {"at", {{"type", "string"}, {"format", "date-time"}}},
                          {"day", {{"type", "string"}, {"format", "date"}}},
                          {"flag", {{"type", "boolean"}}}};
  // Each record carries one value its column cannot hold (the raw JSON is
  // written by hand: the big numbers must reach the host as digits).
  const std::vector<std::string> lines{
      R"({"id":1,"n":1234567890123456789012345678901234567890})",
      R"({"id":2,"x":1e400})",
      R"({"id":3,"at":"yesterday at noon"})",
      R"({"id":4,"at":"2026-02-30T00:00:00Z"})",
      R"({"id":5,"day":"2026-13-01"})",
      R"({"id":6,"flag":"maybe"})",
      R"({"id":7,"at":"2026-01-01T10:00:00.123456789Z"})",
      R"({"id":8,"n":-9223372036854775809})",
      R"({"id":9,"x":-1e-400})",
      R"({"id":10,"n":9223372036854775807,"x":0.1,"at":"2026-01-01T12:00:00+02:00","day":"2024-02-29","flag":true})",
  };
  json::array records;
  for (const auto& line : lines) records.push_back(json::object{{"raw", line}});
  auto stream = scripted_stream("odd", properties, records);
  stream.erase("cursor");
  stream["raw_records"] = true;
  f.write_scripted({stream}, {mode("odd", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  auto rows = f.rows("SELECT id, n, x, at, day, flag, _sluice_uncast FROM odd ORDER BY id");
  REQUIRE(rows.size() == 10);
  const std::vector<std::string> uncast{
      R"({"n":1234567890123456789012345678901234567890})", R"({"x":1e400})",
      R"({"at":"yesterday at noon"})",  R"({"at":"2026-02-30T00:00:00Z"})",
      R"({"day":"2026-13-01"})",        R"({"flag":"maybe"})",
      R"({"at":"2026-01-01T10:00:00.123456789Z"})", R"({"n":-9223372036854775809})",
      R"({"x":-1e-400})"};
  for (size_t i = 0; i < uncast.size(); ++i) {
    INFO("record " << lines[i] << " -> " << rows[i][6]);
    // The digits arrive exactly as the source wrote them.
    std::string raw_value = uncast[i].substr(uncast[i].find(':') + 1);
    raw_value.pop_back();
    CHECK_THAT(rows[i][6], Catch::Contains(raw_value));
    for (size_t column = 1; column <= 5; ++column) CHECK(rows[i][column] == "NULL");
  }
  // The record whose values all fit keeps them typed, and nothing uncast.
  CHECK(rows[9][1] == "9223372036854775807");
  CHECK(rows[9][6] == "NULL");
  CHECK((rows[9][2] == "0.1"));
  if (TestType::engine == Engine::sqlite) {
    CHECK(rows[9][3] == "2026-01-01T10:00:00.000000Z");  // the instant, in the one canonical UTC text
  } else {
    CHECK_THAT(rows[9][3], Catch::StartsWith("2026-01-01 10:00:00"));  // the same instant, in UTC
  }
  CHECK(rows[9][4] == "2024-02-29");
}

TEMPLATE_TEST_CASE("namespace rules: source, destination, custom format and prefix", "[target]",
                   SLUICE_ALL_TARGETS) {
  auto run_with = [](const json::object& rule) {
    TargetFixture f(TestType::engine);
    auto stream = scripted_stream("events", numbered_properties(), numbered_records(1, 2));
    stream["namespace"] = "Sales EU";
    f.write_scripted({stream}, {}, rule);
    auto run = f.sync();
    INFO(run.all());
    REQUIRE(run.exit_code == 0);
    auto tables = f.db->tables();
    for (const auto& table : tables) {
      auto dot = table.find('.');
      std::string ns = dot == std::string::npos ? "" : table.substr(0, dot);
      CHECK(f.db->value("SELECT COUNT(*) FROM " + f.db->table_sql(ns, table.substr(dot + 1))) == "2");
    }
    return tables;
  };
  CHECK(run_with({{"definition", "source"}}) == std::vector<std::string>{"sales_eu.events"});
  CHECK(run_with({{"definition", "destination"}}) == std::vector<std::string>{"events"});
  CHECK(run_with({{"definition", "custom"}, {"format", "billing_${SOURCE_NAMESPACE}"}}) ==
        std::vector<std::string>{"billing_sales_eu.events"});
  CHECK(run_with({{"definition", "destination"}, {"prefix", "raw_"}}) == std::vector<std::string>{"raw_events"});
}

TEMPLATE_TEST_CASE("typed records (ABI 1.4) land exactly as the same records sent as JSON: every column, "
                   "_sluice_extra and _sluice_uncast",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::object properties{{"id", {{"type", "integer"}}},
                          {"n", {{"type", "integer"}}},
                          {"x", {{"type", "number"}}},
                          {"at", {{"type", "string"}, {"format", "date-time"}}},
                          {"day", {{"type", "string"}, {"format", "date"}}},
                          {"flag", {{"type", "boolean"}}},
                          {"doc", {{"type", "object"}}},
                          {"v", {{"type", "string"}}}};
  // Every kind of cell into every column type, fields outside the schema,
  // and values their column cannot hold.
  json::array records{
      json::object{{"id", 1}, {"n", 7}, {"x", 2.5}, {"at", "2026-01-01T10:00:00.123456Z"}, {"day", "2024-02-29"},
                   {"flag", true}, {"doc", json::object{{"k", json::array{1, 2.5, nullptr}}}}, {"v", "plain"}},
      json::object{{"id", 2}, {"n", 3.0}, {"x", 4}, {"at", "2026-01-01T12:00:00+02:00"}, {"day", "2026-13-01"},
                   {"flag", "maybe"}, {"doc", "a string"}, {"v", 12}},
      json::object{{"id", 3}, {"n", "42"}, {"x", "1.5"}, {"at", "yesterday"}, {"day", nullptr}, {"flag", 1},
                   {"doc", json::array{"a", 1}}, {"v", true}, {"extra", json::object{{"deep", "x"}}}},
      json::object{{"id", 4}, {"n", 18446744073709551615ull}, {"x", false}, {"at", 5}, {"flag", "true"},
                   {"v", "0001-01-01T00:00:00.000000Z"}, {"more", nullptr}, {"count", -9007199254740993}},
  };
  auto as_json = scripted_stream("as_json", properties, records);
  auto as_cells = scripted_stream("as_cells", properties, records);
  as_json.erase("cursor");
  as_cells.erase("cursor");
  as_cells["typed_records"] = true;
  f.write_scripted({as_json, as_cells},
                   {mode("as_json", "full_refresh_overwrite"), mode("as_cells", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string columns = "id, n, x, at, day, flag, doc, v, _sluice_extra, _sluice_uncast";
  const auto sent_as_json = f.rows("SELECT " + columns + " FROM as_json ORDER BY id");
  const auto sent_as_cells = f.rows("SELECT " + columns + " FROM as_cells ORDER BY id");
  REQUIRE(sent_as_json.size() == 4);
  CHECK(sent_as_cells == sent_as_json);
  // And they are the values, not two agreeing mistakes.
  CHECK(sent_as_cells[0][1] == "7");
  CHECK(sent_as_cells[1][1] == "3");
  CHECK(sent_as_cells[2][1] == "42");
  CHECK(sent_as_cells[3][1] == "NULL");
  CHECK(same_json(sent_as_cells[3][9], R"({"n":18446744073709551615,"x":false,"at":5})"));
  CHECK(same_json(sent_as_cells[3][8], R"({"more":null,"count":-9007199254740993})"));
  CHECK(same_json(sent_as_cells[2][8], R"({"extra":{"deep":"x"}})"));
}

TEMPLATE_TEST_CASE("a typed STRING cell that is not UTF-8 fails its stream naming the record and field, and committed "
                   "rows stay",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["typed_records"] = true;
  stream["bad_utf8_cell_after_batches"] = 2;
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream items") &&
                          Catch::Contains("record 1 of the batch, field v: the text is not UTF-8"));
  CHECK(f.count("items") == 2);  // batch one committed; batch two shared the bad batch's transaction
  CHECK(f.value("SELECT state FROM _sluice_state") == R"({"offset":2})");
}
