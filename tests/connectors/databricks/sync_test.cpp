// Syncs end to end into SQLite: every type exactly, full refresh, and
// incremental reads by a cursor bound with all its microseconds.
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace databricks_test;
using sluice::test::Rows;

TEST_CASE("a full refresh lands every type exactly: BIGINT, DECIMAL(38,10), microseconds, NTZ unshifted, JSON") {
  DatabricksFixture f;
  add_all_types_table(f.fake->warehouse());
  f.write_connection({stream_selection("sales", "all_types", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id, big, small, price, ratio, name, flag, day, at, local_at, raw, tags, attrs, address, doc, wait "
               "FROM main_sales__all_types ORDER BY id") ==
        Rows{{"1", "9223372036854775807", "-32768", "1234567890123456789012345678.0123456789", "1.5",
              "caf\xc3\xa9 \"quoted\"", "1", "2024-02-29", "2024-05-01T09:51:12.345678Z", "2024-05-01T09:51:12.000001",
              "SGVsbG8=", "[\"x\",\"y\"]", "{\"a\":1,\"b\":2}", "{\"city\":\"Lyon\",\"zip\":\"69001\"}",
              "{\"plan\":\"pro\",\"seats\":5}", "1 02:03:04.000000000"},
             {"2", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL",
              "NULL", "NULL", "NULL"}});
  const auto statement = f.fake->statements().back();
  CHECK(statement.at("statement") == "SELECT * FROM `sales`.`all_types`");
  CHECK(statement.at("warehouse_id") == kWarehouseId);
  CHECK(statement.at("catalog") == "main");
  CHECK(statement.at("disposition") == "EXTERNAL_LINKS");
  CHECK(statement.at("format") == "JSON_ARRAY");
  CHECK(statement.at("wait_timeout") == "30s");
  CHECK(statement.at("on_wait_timeout") == "CONTINUE");
}

TEST_CASE("incremental append + dedup reads only rows after the checkpoint, bound as a TIMESTAMP with microseconds") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT json_extract(state, '$.cursor'), json_extract(state, '$.key[0]'), json_extract(state, '$.types') "
               "FROM _sluice_state") == Rows{{"2024-05-01T00:00:00.000030Z", "30", "[\"TIMESTAMP\",\"BIGINT\"]"}});
  insert_orders(f.fake->warehouse(), 31, 40);
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  const auto statement = f.fake->statements().back();
  CHECK(statement.at("statement") ==
        "SELECT * FROM `sales`.`orders` WHERE `updated_at` >= :cursor AND (`updated_at` > :cursor OR `id` > :key_1) "
        "ORDER BY `updated_at`, `id`");
  CHECK(statement.at("parameters") == json::parse(R"([
      {"name": "cursor", "type": "TIMESTAMP", "value": "2024-05-01T00:00:00.000030Z"},
      {"name": "key_1", "type": "BIGINT", "value": "30"}])"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(amount), max(updated_at) FROM main_sales__orders") ==
        Rows{{"40", "40", "828.2", "2024-05-01T00:00:00.000040Z"}});
}

TEST_CASE("a cursor keeps its microseconds: rows within one millisecond are never read again") {
  DatabricksFixture f;
  // Ten rows per microsecond instant, all within one millisecond: a cursor
  // cut to milliseconds would read them all again on every run.
  add_orders_table(f.fake->warehouse(), 1, 50, 10);
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM main_sales__orders") == Rows{{"50"}});
  CHECK(f.rows("SELECT json_extract(state, '$.cursor') FROM _sluice_state") == Rows{{"2024-05-01T00:00:00.000005Z"}});
  insert_orders(f.fake->warehouse(), 51, 60, 10);
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  // After (cursor, key) of the last row: only the ten new rows (a cursor cut
  // to milliseconds would read all 60 again, on every run).
  CHECK(f.fake->statements().back().at("parameters") == json::parse(R"([
      {"name": "cursor", "type": "TIMESTAMP", "value": "2024-05-01T00:00:00.000005Z"},
      {"name": "key_1", "type": "BIGINT", "value": "50"}])"));
  CHECK_THAT(second.all(), Catch::Contains("main.sales.orders succeeded: 10 records"));
  auto third = f.sync();
  INFO(third.all());
  REQUIRE(third.exit_code == 0);
  CHECK(f.fake->statements().back().at("parameters").at(0).at("value") == "2024-05-01T00:00:00.000006Z");
  CHECK_THAT(third.all(), Catch::Contains("main.sales.orders succeeded: 0 records"));
  CHECK(f.rows("SELECT count(DISTINCT id), max(updated_at) FROM main_sales__orders") ==
        Rows{{"60", "2024-05-01T00:00:00.000006Z"}});
}

TEST_CASE("a statement PENDING at first is polled until it SUCCEEDS") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 5);
  f.fake->set_pending_polls(2, "SELECT * FROM");  // PENDING (the POST's answer), RUNNING, then SUCCEEDED
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  size_t polls = 0;
  for (const auto& request : f.server->requests()) {
    polls += request.method == "GET" && request.path.find("/api/2.0/sql/statements/01ef-") == 0 &&
             request.path.find("/result/") == std::string::npos;
  }
  CHECK(polls == 2);
  CHECK(f.rows("SELECT count(*) FROM main_sales__orders") == Rows{{"5"}});
}

TEST_CASE("check runs a statement on the warehouse and lists the catalog") {
  DatabricksFixture f;
  f.write_connection();
  auto result = f.check();
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.all(), Catch::Contains("connected to Databricks as reader@example.com on warehouse 1234567890abcdef, catalog main"));
  CHECK(f.fake->statements().at(0).at("disposition") == "INLINE");
}
