// The Snowflake connector passes `sluice test-plugin` against the fake its
// end-to-end tests use: a table of every type and an orders table, read
// incrementally with the cursor and key the connection file names (a table
// has no default cursor).
#include "snowflake_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;

TEST_CASE("snowflake passes sluice test-plugin against its fake") {
  SnowflakeFixture f;
  add_all_types_table(f.fake->database());
  add_orders_table(f.fake->database(), 1, 30);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID")});
  auto run = f.sluice({"test-plugin", "snowflake", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: snowflake passed all 11 checks\n"));
}
