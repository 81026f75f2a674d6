// `sluice query` end to end: the real CLI and plugin against the fake SQL
// API (TLS), a billing question answered with bound parameters, the timeout
// in the statement, and a row limit cancelling the statement at the source.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"
#include "common/warehouse_query_checks.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;

namespace {

json::object last_statement(SnowflakeFixture& f) {
  const auto statements = f.fake->statements();
  return statements.empty() ? json::object() : statements.back();
}

}  // namespace

TEST_CASE("sluice query answers a billing question on Snowflake: typed JSON, one binding per use of a parameter, the SQL keeping its ?") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 10);
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(),
                       "SELECT COUNT(*) AS N, SUM(\"ID\") AS TOTAL FROM \"PUBLIC\".\"ORDERS\" "
                       "WHERE (\"ID\" >= :min AND \"ID\" <= :max AND \"UPDATED_AT\" >= :since) OR \"ID\" = :min",
                       "--param", "min:integer=3", "--param", "max:integer=7", "--param",
                       "since:timestamp=2024-05-01T02:00:00+02:00", "--format", "json", "--timeout", "30"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const json::value doc = json::parse(run.out);
  CHECK(doc.at("columns") == json::parse(R"([
    {"name": "N", "schema": {"type": ["integer", "null"]}, "source_type": "fixed"},
    {"name": "TOTAL", "schema": {"type": ["integer", "null"]}, "source_type": "fixed"}])"));
  CHECK(doc.at("rows") == json::parse("[[5, 25]]"));
  const json::object sent = last_statement(f);
  CHECK(sent.at("statement") ==
        "SELECT COUNT(*) AS N, SUM(\"ID\") AS TOTAL FROM \"PUBLIC\".\"ORDERS\" "
        "WHERE (\"ID\" >= ? AND \"ID\" <= ? AND \"UPDATED_AT\" >= ?) OR \"ID\" = ?");
  CHECK(sent.at("bindings") == json::parse(R"({
    "1": {"type": "FIXED", "value": "3"},
    "2": {"type": "FIXED", "value": "7"},
    "3": {"type": "TIMESTAMP_TZ", "value": "1714521600000000000 1440"},
    "4": {"type": "FIXED", "value": "3"}})"));
  CHECK(sent.at("timeout") == 30);
  CHECK(sent.at("role") == "SLUICE_READER");
  CHECK_FALSE(doc.at("facts").at("statement_handle").as_string().empty());
  CHECK(doc.at("facts").at("rows") == 1);
  CHECK(f.fake->cancelled().empty());
}

TEST_CASE("a statement Snowflake stops at its timeout fails sluice query with exit 1 in one line naming it") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 3);
  f.fake->set_timing_out("SELECT");
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(), "SELECT \"ID\" FROM \"PUBLIC\".\"ORDERS\"", "--timeout", "5"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("the query ran past its timeout and was cancelled: Snowflake error 000630 (57014): "
                                      "Statement reached its statement or warehouse timeout of 5 second(s) and was canceled."));
  CHECK(last_statement(f).at("timeout") == 5);
}

TEST_CASE("a row limit (--limit-rows) reached in a multi-partition result fails closed and cancels the statement at the source") {
  SnowflakeFixture f;
  f.fake->set_partition_rows(2000);
  sluice::test::check_cli_limit_rows_across_parts(f);
}
