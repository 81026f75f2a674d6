// The BigQuery connector passes `sluice test-plugin` against the fake
// BigQuery its end-to-end tests use: a table of every type and an orders
// table with a cursor and a key.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;

TEST_CASE("bigquery passes sluice test-plugin against its fake") {
  BigQueryFixture f;
  f.fake->add_table("sales", "all_types", all_types_table());
  f.fake->add_table("sales", "orders", orders_table(1, 6));
  f.write_connection();
  auto run = f.sluice({"test-plugin", "bigquery", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: bigquery passed all 11 checks\n"));
}
