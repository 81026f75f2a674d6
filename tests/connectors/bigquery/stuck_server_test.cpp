// A server that answers in the documented shapes but never moves on: a page
// token that never changes, result pages that end before totalRows, a query
// job that never completes, a result page never answered. Every command
// ends, in a bounded number of requests, with one clear error; no result
// page reaches the target twice; a job left running is cancelled; SIGTERM
// stops a sync within about a second, also with result pages in flight.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

using namespace bigquery_test;
using sluice::test::Rows;

TEST_CASE("check against a dataset list whose page token never changes fails after one repeat") {
  BigQueryFixture f;
  for (const char* dataset : {"a", "b", "c"}) f.fake->add_dataset(dataset);
  f.fake->set_list_page_size(1);
  f.fake->repeat_page_tokens();
  f.write_connection();  // no datasets configured: check lists the project's
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("datasets.list on project my-proj: pagination did not advance: page 2 "
                                         "returned the page token of page 1 again") &&
                             Catch::Contains("[source]"));
  CHECK(f.requests_to("GET", kApiRoot + "/datasets") == 2);
}

TEST_CASE("discover against a table list whose page token never changes fails after one repeat") {
  BigQueryFixture f;
  for (const char* table : {"a", "b", "c"}) f.fake->add_table("sales", table, orders_table(1, 1));
  f.fake->set_list_page_size(1);
  f.fake->repeat_page_tokens();
  f.write_connection({}, {{"datasets", json::array{"sales"}}});
  auto result = f.sluice({"discover", f.connection_path()});
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("tables.list on dataset my-proj:sales: pagination did not advance: page 2 "
                                         "returned the page token of page 1 again") &&
                             Catch::Contains("[source]"));
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables") == 2);
}

TEST_CASE("a sync whose result pages stop before totalRows fails at the first empty page and commits the pages before it") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 30));
  f.fake->set_page_rows(10);
  f.fake->end_results_at(20);  // getQueryResults has no rows from row 20 on; totalRows still says 30
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")}, {{"page_size", 10}});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream sales.orders failed") &&
                          Catch::Contains("jobs.getQueryResults on job job_fake1 returned 0 rows at startIndex 20 "
                                          "where 10 of 30 were asked for") &&
                          Catch::Contains("[source]"));
  // jobs.query gave rows 1-10, the page at startIndex 10 rows 11-20: each row
  // is stored once, the checkpoint after 20.
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales__orders") == Rows{{"20", "20", "20"}});
  CHECK(f.fake->cancelled_jobs().empty());  // the job had completed: nothing to stop

  // Once the server pages properly, the next run reads on from row 21.
  f.fake->end_results_at(SIZE_MAX);
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.fake->query_requests().at(1).at("queryParameters").at(1).at("parameterValue").at("value") == "20");
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales__orders") == Rows{{"30", "30", "30"}});
}

TEST_CASE("a query job that never completes fails at job_timeout_seconds and is cancelled with jobs.cancel") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_not_ready_polls(-1);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")}, {{"job_timeout_seconds", 1}});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream sales.orders failed") &&
                          Catch::Contains("query job job_fake1 did not complete within 1 s (job_timeout_seconds); "
                                          "cancelling it") &&
                          Catch::Contains("[transient]"));
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{"job_fake1"});
  // The cancel names the job where it runs.
  const auto requests = f.server->requests();
  REQUIRE(std::count_if(requests.begin(), requests.end(), [](const auto& r) { return r.method == "POST" && r.path == kApiRoot + "/jobs/job_fake1/cancel"; }) == 1);
  for (const auto& request : requests) {
    if (request.path == kApiRoot + "/jobs/job_fake1/cancel") CHECK(request.query("location") == "US");
  }
  // Pauses of 50, 100, 200, 400 and 800 ms fit about five polls in a second.
  CHECK(f.fake->result_calls() >= 2);
  CHECK(f.fake->result_calls() <= 8);
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'sales__orders'") == Rows{{"0"}});
}

TEST_CASE("a poll that fails while the job runs cancels the job, and a failure after it completed does not") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 30));
  f.fake->set_not_ready_polls(-1);
  f.fake->fail_results_after(2);  // the third getQueryResults: 403 accessDenied
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto running = f.sync();
  INFO(running.all());
  CHECK(running.exit_code == 1);
  CHECK_THAT(running.err, Catch::Contains("lacks permission bigquery.jobs.get"));
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{"job_fake1"});

  f.fake->set_not_ready_polls(0);
  f.fake->set_page_rows(10);
  f.fake->fail_results_after(1);  // the job is complete with its first page; the second page fails
  auto complete = f.sync();
  INFO(complete.all());
  CHECK(complete.exit_code == 1);
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{"job_fake1"});  // none for job_fake2
}

namespace {

// Reaps `pid` once it exits; nullopt (after killing it) when it is still
// running at `limit`, a guard so a sync that ignores SIGTERM fails the test
// instead of hanging it.
std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status;
}

// Sends SIGTERM to a running sync and reaps it: it exits as cancelled (130,
// sluice --help: exit codes) within two seconds, the margin over its own
// bounds being for the process to roll back on a loaded machine.
void terminate_as_cancelled(pid_t pid) {
  const auto signalled = std::chrono::steady_clock::now();
  kill(pid, SIGTERM);
  const auto status = wait_for_exit(pid, std::chrono::seconds(30));
  const auto took = std::chrono::steady_clock::now() - signalled;
  REQUIRE(status.has_value());
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 130);
  INFO("stopped " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms after SIGTERM");
  CHECK(took < std::chrono::seconds(2));
}

}  // namespace

TEST_CASE("SIGTERM while a sync waits for a job that never completes stops it within about a second and cancels the job") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_not_ready_polls(-1);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  const pid_t pid = sluice::test::spawn_sluice({"sync", f.connection_path()}, f.dir.path().string());
  // The sync is in its polling loop once the fake has answered two polls.
  REQUIRE(f.fake->wait_for_result_calls(2, std::chrono::seconds(60)));
  // A pause is cut at 100 ms and a poll holds the server a second at most.
  terminate_as_cancelled(pid);
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{"job_fake1"});
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'sales__orders'") == Rows{{"0"}});
}

TEST_CASE("SIGTERM while result pages are in flight, one of them never answered, stops the sync at once with a consistent target") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 100));
  f.fake->set_page_rows(10);
  f.fake->hang_results_at(30);  // the page at startIndex 30 is never answered
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")},
                     {{"page_size", 10}, {"concurrency", 4}});
  const pid_t pid = sluice::test::spawn_sluice({"sync", f.connection_path()}, f.dir.path().string());
  // Pages 10, 20, 30 and 40 are asked for at once; the read waits on 30.
  REQUIRE(f.fake->wait_for_result_calls(4, std::chrono::seconds(60)));
  // Requests in flight are interrupted, the one never answered too.
  terminate_as_cancelled(pid);
  CHECK(f.fake->cancelled_jobs().empty());  // the job had completed
  // What was committed is a prefix of the result, with the checkpoint of
  // its last row, and none of the page that never came nor any after it.
  std::string count = "0";
  if (f.rows("SELECT count(*) FROM sqlite_master WHERE name = 'sales__orders'") == Rows{{"1"}}) {
    const auto committed = f.rows("SELECT count(*), count(DISTINCT id), coalesce(max(id), 0) FROM sales__orders");
    count = committed.at(0).at(0);
    CHECK(committed.at(0).at(1) == count);
    CHECK(committed.at(0).at(2) == count);
    CHECK(std::stoi(count) <= 30);
  }
  if (count != "0") {
    CHECK_THAT(f.rows("SELECT state FROM _sluice_state").at(0).at(0), Catch::Contains("\"key\":[\"" + count + "\"]"));
  }

  // Once the page is answered, the next run reads on after that row.
  f.fake->hang_results_at(30, false);
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales__orders") == Rows{{"100", "100", "100"}});
}
