// EXTERNAL_LINKS results in many chunks: downloaded in parallel from the
// storage host without the workspace's Authorization header, with the
// link's headers, delivered in order; expired links refreshed; a chunk that
// keeps failing fails the stream, never a partial success; cancel.
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/wait.h>

using namespace databricks_test;
using sluice::test::Rows;

TEST_CASE("a result of ten chunks is downloaded several at once from the storage host, without Authorization, stored in order") {
  DatabricksFixture f;
  REQUIRE(f.storage->base_url().rfind("https://127.0.0.1:", 0) == 0);  // TLS, as the cloud storage is
  add_orders_table(f.fake->warehouse(), 1, 1000);
  f.fake->set_chunk_rows(100);
  f.fake->set_download_barrier(3);  // downloads wait until three are in flight
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->max_in_flight() >= 3);
  for (size_t chunk = 0; chunk < 10; ++chunk) CHECK(f.fake->downloads(chunk) == 1);
  CHECK(f.fake->chunk_requests(0) == 0);  // chunk 0's link came with the statement
  for (size_t chunk = 1; chunk < 10; ++chunk) CHECK(f.fake->chunk_requests(chunk) == 1);
  const auto downloads = f.storage->requests();  // what the TLS storage host received
  REQUIRE(downloads.size() == 10);
  for (const auto& request : downloads) {
    CHECK(request.header("Authorization").empty());
    CHECK(request.header("x-amz-server-side-encryption-customer-key").rfind("key-of-", 0) == 0);
  }
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), max(updated_at) FROM main_sales__orders") ==
        Rows{{"1000", "1000", "500500", "2024-05-01T00:00:00.001000Z"}});
  CHECK(f.rows("SELECT json_extract(state, '$.key[0]') FROM _sluice_state") == Rows{{"1000"}});
  CHECK_THAT(run.all(), !Catch::Contains("X-Amz-Signature"));
}

TEST_CASE("a link issued already expired is refreshed through the chunk endpoint before any download") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.fake->set_chunk_rows(10);
  f.fake->expire_links(1, 1, /*honest=*/true);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->chunk_requests(1) == 2);  // the expired link, then a fresh one
  CHECK(f.fake->downloads(1) == 1);       // only the fresh one was used
  CHECK(f.rows("SELECT count(*), sum(id) FROM main_sales__orders") == Rows{{"30", "465"}});
}

TEST_CASE("a link the storage host refuses as expired (403) is refreshed and the chunk downloaded again") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.fake->set_chunk_rows(10);
  f.fake->expire_links(2, 1, /*honest=*/false);  // its expiration says 15 minutes ahead
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->downloads(2) == 2);
  CHECK(f.fake->chunk_requests(2) == 2);
  CHECK(f.rows("SELECT count(*), sum(id) FROM main_sales__orders") == Rows{{"30", "465"}});
}

TEST_CASE("a chunk whose links keep expiring fails a full refresh after three attempts - the previous table stays whole") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.fake->set_chunk_rows(10);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);
  insert_orders(f.fake->warehouse(), 31, 50);
  f.fake->expire_links(3, 100, /*honest=*/false);
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of main.sales.orders (chunk 3) failed 3 times; the last: GET https://127.0.0.1:" +
                                        std::to_string(f.storage->port()) + "/dbsql-results/"));
  CHECK_THAT(run.all(), Catch::Contains("HTTP 403 OK: <?xml version=\"1.0\" encoding=\"UTF-8\"?> <Error><Code>AccessDenied</Code>"
                                        "<Message>Request has expired</Message></Error> [transient]"));
  CHECK(f.fake->downloads(3) == 3);
  CHECK(f.rows("SELECT count(*), max(id) FROM main_sales__orders") == Rows{{"30", "30"}});
}

TEST_CASE("an incremental read checkpoints each chunk in order: a failing chunk leaves those before it, and the next run resumes") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 50);
  f.fake->set_chunk_rows(10);
  f.fake->fail_chunk(3, std::vector<int>(6, 503));  // both tries of each of the three attempts
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")},
                     {{"concurrency", 2}});
  auto failed = f.sync();
  INFO(failed.all());
  CHECK(failed.exit_code != 0);
  CHECK_THAT(failed.all(), Catch::Contains("the read of main.sales.orders (chunk 3) failed 3 times"));
  CHECK(f.rows("SELECT count(*), max(id) FROM main_sales__orders") == Rows{{"30", "30"}});
  CHECK(f.rows("SELECT json_extract(state, '$.cursor'), json_extract(state, '$.key[0]') FROM _sluice_state") ==
        Rows{{"2024-05-01T00:00:00.000030Z", "30"}});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.fake->statements().back().at("parameters").at(1) == json::parse(R"({"name": "key_1", "type": "BIGINT", "value": "30"})"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM main_sales__orders") == Rows{{"50", "50", "50"}});
}

TEST_CASE("a 429 with Retry-After from the workspace and a 503 from the storage host are retried - the sync succeeds") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 20);
  f.fake->set_chunk_rows(10);
  f.fake->fail_chunk(1, {503});
  f.server->inject(FakeResponse::json(429, json::object{{"error_code", "TOO_MANY_REQUESTS"}, {"message", "Too many requests"}})
                       .with_header("Retry-After", "0"));
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const auto requests = f.server->requests();
  REQUIRE(requests.size() >= 2);
  CHECK(requests[1].path == requests[0].path);  // the first request (discovery's), refused with 429, sent again
  CHECK_THAT(run.all(), Catch::Contains(": HTTP 429 OK: Too many requests; retrying in"));
  CHECK(f.fake->downloads(1) == 2);
  CHECK(f.rows("SELECT count(*) FROM main_sales__orders") == Rows{{"20"}});
}

TEST_CASE("SIGTERM while a statement is still running stops the sync and cancels the statement at the source") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 5);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  f.fake->set_pending_polls(-1, "SELECT * FROM");  // the read never completes
  const pid_t pid = sluice::test::spawn_sluice({"sync", f.connection_path()}, f.dir.path().string());
  REQUIRE(f.fake->wait_for_polls(2, std::chrono::seconds(60)));
  const int status = sluice::test::kill_and_wait(pid, SIGTERM);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  REQUIRE(f.fake->cancelled().size() == 1);
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'main_sales__orders'") == Rows{{"0"}});
}
