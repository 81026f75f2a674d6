// The BigQuery connector passes `sluice test-plugin` against the fake
// BigQuery its end-to-end tests use: an orders table, read incrementally with
// the cursor and key the connection file names (a table has no default
// cursor). Not the all-types table: its FLOAT64 NaN is a string by design
// (docs/connectors/bigquery.md), which lands in _sluice_uncast, and the
// schema check fails on it.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;

TEST_CASE("bigquery passes sluice test-plugin against its fake") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 6));
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sluice({"test-plugin", "bigquery", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: bigquery passed all 11 checks\n"));
}
