// The MySQL/MariaDB source passes `sluice test-plugin` against a fresh
// database on the suite's throwaway server: an orders table read
// incrementally with the cursor and key the connection file names.
#include "mysql_source_fixture.hpp"

#include <catch2/catch.hpp>

using namespace mysql_source_test;

TEST_CASE("mysql passes sluice test-plugin against the suite's server") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, note VARCHAR(20))",
          "INSERT INTO orders VALUES (1, '2024-05-01 10:00:01', 'a'), (2, '2024-05-01 10:00:02', 'b'), "
          "(3, '2024-05-01 10:00:03', 'c'), (4, '2024-05-01 10:00:04', 'd')"});
  f.write_connection({selection(f.database(), "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sluice({"test-plugin", "mysql", "--config", f.connection_path()});
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::EndsWith("test-plugin: mysql passed all 11 checks\n"));
}
