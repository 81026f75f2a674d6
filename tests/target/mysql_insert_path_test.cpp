// MySQL/MariaDB servers without local_infile (MySQL 8's default) get rows
// as multi-row INSERTs instead of LOAD DATA: the same values must land.
#include "target/private_server.hpp"
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEST_CASE("mysql without local_infile: appends go in as multi-row INSERTs with the same values") {
  PrivateServer server(Engine::mariadb, {{"SLUICE_MARIADB_ARGS", "--local-infile=0"}});
  TargetFixture f(Engine::mariadb, server.url());
  REQUIRE(f.value("SELECT @@GLOBAL.local_infile") == "0");
  json::object properties{{"id", {{"type", "integer"}}}, {"ts", {{"type", "string"}, {"format", "date-time"}}},
                          {"v", {{"type", "string"}}}, {"x", {{"type", "number"}}}, {"ok", {{"type", "boolean"}}},
                          {"doc", {{"type", "object"}}}};
  json::array records{
      json::object{{"id", 1}, {"ts", "2026-01-01T12:00:00+02:00"}, {"v", "x'y\"z\\\t\n`"}, {"x", 0.1}, {"ok", true},
                   {"doc", json::object{{"k", "'"}}}},
      json::object{{"id", 2}, {"ts", "not a time"}, {"v", nullptr}, {"x", -2.5e300}, {"ok", false}},
  };
  for (std::string sync_mode : {"full_refresh_overwrite", "incremental_append"}) {
    f.write_scripted({scripted_stream("items", properties, records)}, {mode("items", sync_mode)});
    auto run = f.sync();
    INFO(sync_mode << ": " << run.all());
    REQUIRE(run.exit_code == 0);
  }
  CHECK(f.rows("SELECT id, ts, v, x, ok FROM items ORDER BY id, _sluice_extracted_at") ==
        Rows{{"1", "2026-01-01 10:00:00.000000", "x'y\"z\\\t\n`", "0.1", "1"},
             {"1", "2026-01-01 10:00:00.000000", "x'y\"z\\\t\n`", "0.1", "1"},
             {"2", "NULL", "NULL", "-2.5e300", "0"},
             {"2", "NULL", "NULL", "-2.5e300", "0"}});
  CHECK(same_json(f.value("SELECT doc FROM items WHERE id = 1 LIMIT 1"), R"({"k":"'"})"));
  CHECK(same_json(f.value("SELECT _sluice_uncast FROM items WHERE id = 2 LIMIT 1"), R"({"ts":"not a time"})"));
}
