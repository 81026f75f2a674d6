// `sluice query` end to end: the real CLI and plugin against the fake
// workspace and storage host (TLS), a billing question answered with named
// parameters, a statement still running at --timeout cancelled at the
// source, and a row limit cancelling the statement.
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"
#include "common/warehouse_query_checks.hpp"

#include <catch2/catch.hpp>

using namespace databricks_test;

TEST_CASE("sluice query answers a billing question on Databricks: typed JSON, named typed parameters, the SQL keeping its :name markers") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 10);
  f.write_connection();
  const std::string sql =
      "SELECT count(*) AS n, sum(id) AS total FROM `sales`.`orders` "
      "WHERE (id >= :min AND id <= :max AND updated_at >= :since) OR id = :min";
  auto run = f.sluice({"query", f.connection_path(), sql, "--param", "min:integer=3", "--param", "max:integer=7",
                       "--param", "since:timestamp=2024-05-01T02:00:00+02:00", "--format", "json"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const json::value doc = json::parse(run.out);
  CHECK(doc.at("rows") == json::parse("[[5, 25]]"));
  CHECK(doc.at("columns").as_array().at(0).at("name") == "n");
  const json::object sent = f.fake->statements().back();
  CHECK(sent.at("statement") == json::value(sql));
  const json::array& parameters = sent.at("parameters").as_array();
  REQUIRE(parameters.size() == 3);
  CHECK(parameters[0] == json::parse(R"({"name": "min", "type": "BIGINT", "value": "3"})"));
  CHECK(parameters[1] == json::parse(R"({"name": "max", "type": "BIGINT", "value": "7"})"));
  CHECK(parameters[2].at("name") == "since");
  CHECK(parameters[2].at("type") == "TIMESTAMP");
  CHECK(sent.at("wait_timeout") == "50s");
  CHECK(sent.at("on_wait_timeout") == "CONTINUE");
  CHECK_FALSE(doc.at("facts").at("statement_id").as_string().empty());
  CHECK(f.fake->cancelled().empty());
}

TEST_CASE("a statement still running at --timeout is cancelled at the source and fails sluice query with exit 1") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->set_pending_polls(-1);
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(), "SELECT id FROM `sales`.`orders`", "--timeout", "1"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(f.fake->statements().back().at("wait_timeout") == "0s");
  REQUIRE(f.fake->cancelled().size() == 1);
  CHECK_THAT(run.err, Catch::Contains("statement " + f.fake->cancelled()[0] + " cancelled"));
}

TEST_CASE("a row limit (--limit-rows) reached in a multi-chunk result fails closed and cancels the statement at the source") {
  DatabricksFixture f;
  f.fake->set_chunk_rows(2000);
  sluice::test::check_cli_limit_rows_across_parts(f);
}
