// Results in many partitions: fetched in parallel (gzip) and stored in
// order; a partition failing after its retries fails the stream with nothing
// after it; an expired result fails it at once (transient); 429/503 retried;
// a cancelled sync cancels a running statement.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/wait.h>
#include <thread>

using namespace snowflake_test;
using sluice::test::Rows;

namespace {

size_t gzip_answers(const SnowflakeFixture& f) {
  size_t count = 0;
  for (const auto& exchange : f.exchanges()) {
    for (const auto& [name, value] : exchange.response.headers) count += name == "Content-Encoding" && value == "gzip";
  }
  return count;
}

}  // namespace

TEST_CASE("a result of ten partitions is fetched several at once, gzip-compressed, and stored in order exactly") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 1000);
  f.fake->set_partition_rows(100);
  f.fake->set_gzip(true);
  f.fake->set_partition_barrier(3);  // answers wait until three partition requests are in flight
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->max_in_flight() >= 3);
  for (size_t partition = 1; partition < 10; ++partition) CHECK(f.fake->partition_requests(partition) == 1);
  CHECK(gzip_answers(f) == 9);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), min(amount), max(updated_at) FROM sales_public__orders") ==
        Rows{{"1000", "1000", "500500", "1.01", "2024-05-01T00:00:00.000001000"}});
  CHECK(f.rows("SELECT json_extract(state, '$.key[0]') FROM _sluice_state") == Rows{{"1000"}});
}

TEST_CASE("a partition that fails after its retries fails a full refresh, which keeps the previous table whole") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 30);
  f.fake->set_partition_rows(10);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);
  insert_orders(f.fake->database(), 31, 50);
  f.fake->fail_partition(2, std::vector<int>(6, 503));  // every attempt of the client
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of SALES.PUBLIC.ORDERS (partition 2): GET"));
  CHECK_THAT(run.all(), Catch::Contains("HTTP 503"));
  CHECK(f.fake->partition_requests(2) == 1 + 6);  // once in the first run, then every attempt
  // Never a partial success: the table is the previous run's.
  CHECK(f.rows("SELECT count(*), max(id) FROM sales_public__orders") == Rows{{"30", "30"}});
}

TEST_CASE("an incremental read checkpoints each partition in order: a failing one leaves those before it, and the next run resumes") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 50);
  f.fake->set_partition_rows(10);
  f.fake->fail_partition(3, std::vector<int>(6, 503));
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID")},
                     {{"concurrency", 2}});
  auto failed = f.sync();
  INFO(failed.all());
  CHECK(failed.exit_code != 0);
  CHECK(f.rows("SELECT count(*), max(id) FROM sales_public__orders") == Rows{{"30", "30"}});
  CHECK(f.rows("SELECT json_extract(state, '$.cursor'), json_extract(state, '$.key[0]') FROM _sluice_state") ==
        Rows{{"2024-05-01T00:00:00.000000030", "30"}});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.fake->statements().back().at("bindings").at("3") == json::parse(R"({"type": "FIXED", "value": "30"})"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales_public__orders") == Rows{{"50", "50", "50"}});
}

TEST_CASE("a result that expired before its partitions were read fails a full refresh as transient, at once, and the next sync runs the statement again") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 50);
  f.fake->set_partition_rows(10);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")}, {{"concurrency", 1}});
  f.fake->expire_results_from_partition(2);
  auto expired = f.sync();
  INFO(expired.all());
  CHECK(expired.exit_code == 1);
  CHECK_THAT(expired.all(), Catch::Contains("the read of SALES.PUBLIC.ORDERS (partition 2) failed: Snowflake error 000710 "
                                            "(02000): Result for query "));
  CHECK_THAT(expired.all(), Catch::Contains(" has expired; the next sync runs the statement again"));
  CHECK_THAT(expired.all(), Catch::Contains("transient"));
  CHECK(f.fake->partition_requests(2) == 1);  // an expired result is not asked for again
  // Never an empty or partial success: no table was swapped in.
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'sales_public__orders'") == Rows{{"0"}});

  f.fake->expire_results_from_partition(0);
  auto rerun = f.sync();
  INFO(rerun.all());
  REQUIRE(rerun.exit_code == 0);
  CHECK(f.fake->statements().size() >= 2);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales_public__orders") == Rows{{"50", "50", "50"}});
}

TEST_CASE("an incremental read whose result expires keeps the partitions checkpointed before it, and the next run resumes there") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 50);
  f.fake->set_partition_rows(10);
  f.fake->expire_results_from_partition(3);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID")},
                     {{"concurrency", 1}});
  auto expired = f.sync();
  INFO(expired.all());
  CHECK(expired.exit_code == 1);
  CHECK_THAT(expired.all(), Catch::Contains("(partition 3) failed: Snowflake error 000710 (02000)"));
  CHECK(f.rows("SELECT count(*), max(id) FROM sales_public__orders") == Rows{{"30", "30"}});
  f.fake->expire_results_from_partition(0);
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.fake->statements().back().at("bindings").at("3") == json::parse(R"({"type": "FIXED", "value": "30"})"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales_public__orders") == Rows{{"50", "50", "50"}});
}

TEST_CASE("429 and 503 answers to a partition are retried and the sync succeeds") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 20);
  f.fake->set_partition_rows(10);
  f.fake->fail_partition(1, {429, 503, 429});
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->partition_requests(1) == 4);
  CHECK(f.rows("SELECT count(*) FROM sales_public__orders") == Rows{{"20"}});
}

TEST_CASE("SIGTERM while a statement is still running (202) stops the sync and cancels the statement") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 5);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  f.fake->set_pending_polls(-1, "SELECT * FROM");  // the read never completes
  const pid_t pid = sluice::test::spawn_sluice({"sync", f.connection_path()}, f.dir.path().string());
  REQUIRE(f.fake->wait_for_polls(2, std::chrono::seconds(60)));
  const int status = sluice::test::kill_and_wait(pid, SIGTERM);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  REQUIRE(f.fake->cancelled().size() == 1);
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'sales_public__orders'") == Rows{{"0"}});
}
