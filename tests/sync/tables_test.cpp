// How streams become tables: hostile identifiers, schema drift, values that
// do not fit, fields outside the schema, and namespace rules.
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEST_CASE("hostile stream and field names are normalised, quoted, and round-trip their values") {
  SyncFixture f;
  json::object properties{{"id", {{"type", "integer"}}},
                          {"select", {{"type", "string"}}},
                          {"\"; DROP TABLE t; --", {{"type", "string"}}},
                          {"Amount (USD)", {{"type", "number"}}},
                          {"prénom", {{"type", "string"}}},
                          {"数量", {{"type", "integer"}}},
                          {"SELECT", {{"type", "string"}}}};
  json::array records{json::object{{"id", 1}, {"select", "s"}, {"\"; DROP TABLE t; --", "x'y\"z"},
                                   {"Amount (USD)", 12.5}, {"prénom", "Zoë"}, {"数量", 7}, {"SELECT", "upper"}}};
  auto stream = scripted_stream("Usage Events\"; DROP TABLE t; --", properties, records);
  stream.erase("cursor");
  f.write_scripted({stream}, {mode("Usage Events\"; DROP TABLE t; --", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  REQUIRE(sqlite_has_table(f.db, "usage_events_drop_table_t"));
  CHECK(f.rows("SELECT id, \"select\", drop_table_t, amount_usd, \"prénom\", \"数量\", select_2 "
               "FROM usage_events_drop_table_t") ==
        Rows{{"1", "s", "x'y\"z", "12.5", "Zoë", "7", "upper"}});
}

TEST_CASE("a new field in the source's schema adds a column and keeps every existing row") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 4))},
                   {mode("items", "incremental_append")});
  REQUIRE(f.sync().exit_code == 0);

  auto properties = numbered_properties();
  properties["plan"] = {{"type", "string"}};
  json::array records = numbered_records(1, 6);
  for (auto& r : records) r.as_object()["plan"] = "pro";
  f.write_scripted({scripted_stream("items", properties, records)}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("new field plan added as column plan"));
  CHECK(f.rows("SELECT id, plan FROM items ORDER BY id") ==
        Rows{{"1", "NULL"}, {"2", "NULL"}, {"3", "NULL"}, {"4", "NULL"}, {"5", "pro"}, {"6", "pro"}});
}

TEST_CASE("fields outside the schema land in _sluice_extra, misfit values in _sluice_uncast, with a warning") {
  SyncFixture f;
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
  CHECK(f.rows("SELECT id, v, _sluice_extra, _sluice_uncast FROM items ORDER BY ts") ==
        Rows{{"1", "ok", R"({"surprise":{"k":1}})", "NULL"},
             {"NULL", "bad id", "NULL", R"({"id":"not a number"})"},
             {"NULL", "huge id", "NULL", R"({"id":"18446744073709551616"})"},
             {"42", "3.5", "NULL", "NULL"}});
  CHECK(f.value("SELECT typeof(id) FROM items WHERE v = 'ok'") == "integer");
}

TEST_CASE("namespace rules: source, destination, custom format and prefix") {
  auto run_with = [](const json::object& rule) {
    SyncFixture f;
    auto stream = scripted_stream("events", numbered_properties(), numbered_records(1, 2));
    stream["namespace"] = "Sales EU";
    f.write_scripted({stream}, {}, rule);
    auto run = f.sync();
    INFO(run.all());
    REQUIRE(run.exit_code == 0);
    std::vector<std::string> tables;
    for (const auto& row : f.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                  "'\\_sluice\\_%' ESCAPE '\\' ORDER BY name")) {
      tables.push_back(row[0]);
    }
    return tables;
  };
  CHECK(run_with({{"definition", "source"}}) == std::vector<std::string>{"sales_eu__events"});
  CHECK(run_with({{"definition", "destination"}}) == std::vector<std::string>{"events"});
  CHECK(run_with({{"definition", "custom"}, {"format", "billing_${SOURCE_NAMESPACE}"}}) ==
        std::vector<std::string>{"billing_sales_eu__events"});
  CHECK(run_with({{"definition", "destination"}, {"prefix", "raw_"}}) == std::vector<std::string>{"raw_events"});
}
