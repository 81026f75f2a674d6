// Full refresh through the CLI against the fake into SQLite: every type lands
// exactly, the statement on the wire binds nothing and quotes everything.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;
using sluice::test::Rows;

TEST_CASE("a full refresh lands every type exactly: 38-digit NUMBER, nanosecond NTZ/LTZ/TZ, VARIANT objects, base64 BINARY, GeoJSON") {
  SnowflakeFixture f;
  add_all_types_table(f.fake->database());
  f.write_connection({stream_selection("PUBLIC", "ALL_TYPES", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT typeof(id), id, big, price, ratio, name, flag, day, at_time FROM sales_public__all_types ORDER BY id") ==
        Rows{{"integer", "1", "12345678901234567890123456789012345678", "5.00", "1.5", "caf\xc3\xa9 \"quoted\"", "1",
              "2024-05-01", "12:34:56.123456789"},
             {"integer", "2", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}});
  // NTZ exactly as stored (never shifted), LTZ in UTC, TZ at its own offset; nanoseconds everywhere.
  CHECK(f.rows("SELECT ntz, ltz, tz FROM sales_public__all_types ORDER BY id") ==
        Rows{{"2024-05-01T09:51:12.345678912", "2024-05-01T09:51:12.345678912Z", "2024-05-01T11:51:12.345678912+02:00"},
             {"NULL", "NULL", "NULL"}});
  CHECK(f.rows("SELECT doc, attrs, tags, raw, json_extract(place, '$.type'), json_extract(place, '$.coordinates[0]') "
               "FROM sales_public__all_types WHERE id = 1") ==
        Rows{{R"({"plan":"pro","seats":5})", R"({"a":{"b":[1,2]}})", R"(["x",2])", "SGVsbG8=", "Point", "-122.35"}});
  CHECK(f.rows("SELECT _sluice_uncast FROM sales_public__all_types WHERE id = 1") == Rows{{"NULL"}});

  // The wire: one statement over the quoted table in its schema, nothing bound.
  const auto statements = f.fake->statements();
  REQUIRE(statements.size() >= 1);
  const auto& read = statements.back();
  CHECK(read.at("statement") == "SELECT * FROM \"PUBLIC\".\"ALL_TYPES\"");
  CHECK(read.at("schema") == "PUBLIC");
  CHECK(read.at("timeout") == 3600);
  CHECK(read.at("parameters") == json::parse(R"({"timezone": "UTC", "query_tag": "sluice"})"));
  CHECK_FALSE(read.contains("bindings"));
}

TEST_CASE("hostile schema, table and column names are quoted, never pasted, and land as themselves") {
  SnowflakeFixture f;
  auto& db = f.fake->database();
  db.create_table("we\"ird; --", "Order \"Items\"", {{"select", "NUMBER(18,0)"}, {"a\"b c", "VARCHAR"}});
  db.insert("we\"ird; --", "Order \"Items\"", {{"1", "x"}});
  f.write_connection();
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("namespace") == "SALES.we\"ird; --");
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->statements().back().at("statement") == "SELECT * FROM \"we\"\"ird; --\".\"Order \"\"Items\"\"\"");
  CHECK(f.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%items%'").size() == 1);
}

TEST_CASE("a statement not complete at first is polled (202, code 333334) until its result") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 5);
  f.fake->set_pending_polls(3);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*), sum(id) FROM sales_public__orders") == Rows{{"5", "15"}});
  // Submit answered 202; the status URL was asked until it answered 200.
  size_t polls = 0;
  for (const auto& exchange : f.exchanges()) {
    if (exchange.request.method == "GET" && !exchange.request.has_query("partition")) {
      ++polls;
      CHECK((exchange.response.status == 202 || exchange.response.status == 200));
    }
  }
  // Three polls for each statement (discovering the stream, then reading it).
  CHECK(polls == 3 * f.fake->statements().size());
  CHECK(f.fake->cancelled().empty());
}
