// The SQL each member of the PostgreSQL family is sent, exactly: only
// PostgreSQL runs in the suite, so CockroachDB's and Redshift's statements
// are pinned here.
#include "flavor.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

using namespace postgres;

namespace {

std::vector<Column> sample_columns() {
  return {{"id", "bigint", "int8", Kind::integer, true},
          {"Price \"USD\"", "money", "money", Kind::decimal, false},
          {"tags", "text[]", "_text", Kind::array, false}};
}

}  // namespace

TEST_CASE("the flavor is read from version()") {
  CHECK(detect_flavor("PostgreSQL 15.5 (Debian 15.5-0+deb12u1) on x86_64-pc-linux-gnu") == Flavor::postgres);
  CHECK(detect_flavor("CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27)") == Flavor::cockroachdb);
  CHECK(detect_flavor("PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat "
                      "3.4.2-6.fc3), Redshift 1.0.59095") == Flavor::redshift);
}

TEST_CASE("a PostgreSQL range is COPY over a CTID block range of quoted columns, money as numeric, arrays as JSON") {
  CHECK(range_read_sql(Flavor::postgres, "sales", "Order Items", sample_columns(), {Range::By::blocks, 128, 256}, "") ==
        "COPY (SELECT \"id\", \"Price \"\"USD\"\"\"::numeric, to_json(\"tags\") FROM \"sales\".\"Order Items\" "
        "WHERE ctid >= '(128,0)'::tid AND ctid < '(256,0)'::tid) TO STDOUT");
  CHECK(range_read_sql(Flavor::postgres, "s", "t", sample_columns(), {Range::By::blocks, std::nullopt, 64}, "") ==
        "COPY (SELECT \"id\", \"Price \"\"USD\"\"\"::numeric, to_json(\"tags\") FROM \"s\".\"t\" WHERE ctid < "
        "'(64,0)'::tid) TO STDOUT");
  CHECK(range_read_sql(Flavor::postgres, "s", "v", {{"a", "text", "text", Kind::text, false}}, Range{}, "") ==
        "COPY (SELECT \"a\" FROM \"s\".\"v\") TO STDOUT");
}

TEST_CASE("a CockroachDB range bounds its integer key and reads AS OF SYSTEM TIME the snapshot's timestamp") {
  const std::vector<Column> columns{{"id", "INT8", "int8", Kind::integer, true}};
  CHECK(range_read_sql(Flavor::cockroachdb, "public", "events", columns, {Range::By::key, -5, 1000}, "id",
                       "1701900000000000000.0000000001") ==
        "COPY (SELECT \"id\" FROM \"public\".\"events\" AS OF SYSTEM TIME '1701900000000000000.0000000001' "
        "WHERE \"id\" >= -5 AND \"id\" < 1000 ORDER BY \"id\") TO STDOUT");
  CHECK(key_bounds_sql(Flavor::cockroachdb, "public", "events", "id", "17.5") ==
        "SELECT min(\"id\")::text, max(\"id\")::text, count(*)::text FROM \"public\".\"events\" AS OF SYSTEM TIME "
        "'17.5'");
  CHECK(begin_snapshot_sql(Flavor::cockroachdb).empty());
  CHECK(export_snapshot_sql(Flavor::cockroachdb) == "SELECT cluster_logical_timestamp()::text");
  // The timestamp comes from the server, and is still checked before it is written into SQL.
  CHECK_THROWS_WITH(range_read_sql(Flavor::cockroachdb, "s", "t", columns, Range{}, "", "1' OR '1"),
                    "unexpected snapshot timestamp from the server");
}

TEST_CASE("a Redshift range is a plain SELECT (no COPY TO STDOUT) in one serializable read-only transaction") {
  const std::vector<Column> columns{{"id", "bigint", "int8", Kind::integer, true}};
  CHECK_FALSE(reads_with_copy(Flavor::redshift));
  CHECK(range_read_sql(Flavor::redshift, "public", "events", columns, {Range::By::key, 1, 50}, "id") ==
        "SELECT \"id\" FROM \"public\".\"events\" WHERE \"id\" >= 1 AND \"id\" < 50 ORDER BY \"id\"");
  CHECK(begin_snapshot_sql(Flavor::redshift) == "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY");
  CHECK_FALSE(export_snapshot_sql(Flavor::redshift));
  CHECK(session_setup_sql(Flavor::redshift, std::chrono::seconds(60)) ==
        "SET statement_timeout TO 60000; SET timezone TO 'UTC'; SET datestyle TO 'ISO, YMD'; SET extra_float_digits TO 3");
}

TEST_CASE("a PostgreSQL session is read-only, polite and fixes every value's text form") {
  CHECK(session_setup_sql(Flavor::postgres, std::chrono::seconds(0)) ==
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = 0; SET lock_timeout = 30000; "
        "SET idle_in_transaction_session_timeout = 0; SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; "
        "SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3; SET bytea_output = 'hex'");
  CHECK(begin_snapshot_sql(Flavor::postgres) == "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  CHECK(import_snapshot_sql("00000003-0000001B-1") == "SET TRANSACTION SNAPSHOT '00000003-0000001B-1'");
  CHECK_THROWS_WITH(import_snapshot_sql("x'; DROP"), "unexpected snapshot id from the server");
}

TEST_CASE("block ranges cover every block once, the last one open") {
  const auto ranges = block_ranges(10, 4);
  REQUIRE(ranges.size() == 3);
  CHECK(range_condition(ranges[0], "") == "ctid < '(4,0)'::tid");
  CHECK(range_condition(ranges[1], "") == "ctid >= '(4,0)'::tid AND ctid < '(8,0)'::tid");
  CHECK(range_condition(ranges[2], "") == "ctid >= '(8,0)'::tid");
  CHECK(block_ranges(0, 4).size() == 1);
  CHECK(range_condition(block_ranges(0, 4)[0], "").empty());
}

TEST_CASE("key ranges cover the whole int64 line, first and last open, even across its full width") {
  const auto ranges = key_ranges(1, 100, 4);
  REQUIRE(ranges.size() == 4);
  CHECK(range_condition(ranges[0], "id") == "\"id\" < 25");
  CHECK(range_condition(ranges[1], "id") == "\"id\" >= 25 AND \"id\" < 49");
  CHECK(range_condition(ranges[3], "id") == "\"id\" >= 73");
  const auto wide = key_ranges(INT64_MIN, INT64_MAX, 2);
  REQUIRE(wide.size() == 2);
  CHECK(range_condition(wide[0], "id") == "\"id\" < -1");
  CHECK(key_ranges(5, 5, 8).size() == 1);
}

TEST_CASE("an incremental read orders by cursor and key and selects their exact text for the checkpoint") {
  const std::vector<Column> columns{{"id", "bigint", "int8", Kind::integer, true},
                                    {"updated_at", "timestamp with time zone", "timestamptz", Kind::timestamptz, false}};
  CHECK(incremental_sql(Flavor::postgres, "app", "users", columns, "\"updated_at\" >= $1", {"updated_at", "id"}) ==
        "SELECT \"id\", \"updated_at\", \"updated_at\"::text, \"id\"::text FROM \"app\".\"users\" WHERE "
        "\"updated_at\" >= $1 ORDER BY 2, 1");
}

TEST_CASE("names that cannot be identifiers are refused with the name shown safely") {
  CHECK(quote_name("we\"ird; --", "column") == "\"we\"\"ird; --\"");
  CHECK_THROWS_WITH(quote_name("bad\nname", "column"),
                    "cannot quote column name \"bad?name\": it is empty, longer than 63 bytes, or holds a control character");
  CHECK_THROWS_WITH(quote_name(std::string(64, 'a'), "table"), Catch::Contains("longer than 63 bytes"));
}
