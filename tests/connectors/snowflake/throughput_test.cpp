// A rough throughput figure, not run by ctest (hidden tag): a sync of
// SNOWFLAKE_BENCH_ROWS orders (default 200,000) in ten gzip partitions from
// the fake into SQLite. bench_http is the benchmark; this is for the report.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

using namespace snowflake_test;

TEST_CASE("sync throughput from the fake into SQLite", "[.bench]") {
  const char* env = std::getenv("SNOWFLAKE_BENCH_ROWS");
  const int rows = env ? std::atoi(env) : 200000;
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, rows);
  f.fake->set_partition_rows(static_cast<size_t>(rows / 10));
  f.fake->set_gzip(true);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  const auto started = std::chrono::steady_clock::now();
  auto run = f.sync();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  REQUIRE(f.rows("SELECT count(*) FROM sales_public__orders") == sluice::test::Rows{{std::to_string(rows)}});
  std::ifstream loadavg("/proc/loadavg");
  std::string load;
  std::getline(loadavg, load);
  std::cout << rows << " rows in " << seconds << " s: " << static_cast<long>(rows / seconds)
            << " rows/s (fake's query and encoding included); loadavg " << load << "\n";
}
