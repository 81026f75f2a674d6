// The PostgreSQL source passes `sluice test-plugin` against a fresh database
// on the suite's throwaway server: an orders table read incrementally with
// the cursor and key the connection file names.
#include "pg_source_fixture.hpp"

#include <catch2/catch.hpp>

using namespace pg_source_test;

TEST_CASE("postgres passes sluice test-plugin against the suite's server") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, note text);"
                 "INSERT INTO orders SELECT g, '2024-05-01 10:00:00+00'::timestamptz + g * interval '1 second', "
                 "'n' || g FROM generate_series(1, 20) g");
  f.write_connection({selection("public", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sluice({"test-plugin", "postgres", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: postgres passed all 11 checks\n"));
}
