// The Databricks connector passes `sluice test-plugin` against the fake its
// end-to-end tests use: a table of every type and an orders table, read
// incrementally with the cursor and key the connection file names (a table
// has no default cursor).
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace databricks_test;

TEST_CASE("databricks passes sluice test-plugin against its fake") {
  DatabricksFixture f;
  add_all_types_table(f.fake->warehouse());
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sluice({"test-plugin", "databricks", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: databricks passed all 11 checks\n"));
}
