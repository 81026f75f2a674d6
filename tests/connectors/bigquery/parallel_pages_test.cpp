// Result pages fetched several at a time (startIndex, FetchPool) through
// real syncs into SQLite: whatever order the pages are answered in, rows
// land and checkpoints are saved in result order; a page that fails leaves
// exactly the pages before it committed; memory stays bounded by fetching
// fewer large pages at once.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"
#include "table_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace bigquery_test;
using sluice::test::Rows;

namespace {

// Every id of the orders table in the order the target stored them.
std::vector<std::string> ids_in_insertion_order(BigQueryFixture& f) {
  std::vector<std::string> ids;
  for (const auto& row : f.rows("SELECT id FROM sales__orders ORDER BY rowid")) ids.push_back(row.at(0));
  return ids;
}

std::vector<std::string> ids_from(int first, int last) {
  std::vector<std::string> ids;
  for (int id = first; id <= last; ++id) ids.push_back(std::to_string(id));
  return ids;
}

}  // namespace

TEST_CASE("pages answered out of order land in result order, each checkpoint after its own page") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 100));
  f.fake->set_page_rows(10);
  // The page at startIndex 10 is refused (503, retried) until three pages
  // after it have been answered.
  f.fake->answer_results_after(10, 3);
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")},
                     {{"page_size", 10}, {"concurrency", 4}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);

  // jobs.query gave rows 1-10; getQueryResults pages from startIndex 10 to
  // 90, each asked for by startIndex (never with a pageToken), and the page
  // at 10 was answered fourth.
  const auto answered = f.fake->answered_pages();
  REQUIRE(answered.size() == 9);
  CHECK(std::find(answered.begin(), answered.end(), size_t{10}) - answered.begin() == 3);
  std::vector<size_t> sorted = answered;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == std::vector<size_t>{10, 20, 30, 40, 50, 60, 70, 80, 90});
  for (const auto& request : f.server->requests()) {
    if (request.method != "GET" || request.path != kApiRoot + "/queries/job_fake1") continue;
    CHECK(request.has_query("startIndex"));
    CHECK_FALSE(request.has_query("pageToken"));
    CHECK(request.query("maxResults") == "10");
  }
  CHECK(ids_in_insertion_order(f) == ids_from(1, 100));
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:01:40.000000+00:00","primary_key":["id"],"key":["100"],"cursor_type":"TIMESTAMP"})"}});
}

TEST_CASE("a page failing among several in flight commits exactly the pages before it, rows and state, and the next run goes on from there") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 100));
  f.fake->set_page_rows(10);
  f.fake->fail_results_at(40);  // 403 accessDenied: not retried
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")},
                     {{"page_size", 10}, {"concurrency", 4}});
  auto failed = f.sync();
  INFO(failed.all());
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("lacks permission bigquery.jobs.get"));
  // Rows 1-40 (jobs.query, then the pages at 10, 20 and 30); pages after 40
  // may have been fetched, none was committed.
  CHECK(ids_in_insertion_order(f) == ids_from(1, 40));
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:00:40.000000+00:00","primary_key":["id"],"key":["40"],"cursor_type":"TIMESTAMP"})"}});

  f.fake->fail_results_at(40, false);
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.fake->query_requests().at(1).at("queryParameters").at(1).at("parameterValue").at("value") == "40");
  CHECK(ids_in_insertion_order(f) == ids_from(1, 100));
}

TEST_CASE("a page cut short by size is completed with the rest of it before the next page is delivered") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 95));
  f.fake->set_page_bytes(10 << 20, 500);  // 7 rows of ~66 bytes per getQueryResults answer
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")}, {{"page_size", 25}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(ids_in_insertion_order(f) == ids_from(1, 95));
  // Each page of 25 rows from startIndex 25, 50, 75 took several calls, each
  // asking for the rest of its page.
  size_t calls = 0;
  for (const auto& request : f.server->requests()) {
    if (request.method != "GET" || request.path != kApiRoot + "/queries/job_fake1") continue;
    ++calls;
    const size_t start = std::stoul(request.query("startIndex")), max = std::stoul(request.query("maxResults"));
    CHECK(start >= 25);
    CHECK(((start + max) % 25 == 0 || start + max == 95));  // its page's end, never past it
  }
  CHECK(calls > 3);
}

TEST_CASE("pages stay near 2 MB and about 8 MB are in flight, whatever page_size and concurrency say") {
  bigquery::QueryOptions options;
  options.concurrency = 4;
  options.page_size = 10'000;
  auto plan = bigquery::plan_fetch(options, 100);  // 1 MB pages
  CHECK(plan.rows_per_page == 10'000);
  CHECK(plan.concurrency == 4);
  options.page_size = 100'000;
  plan = bigquery::plan_fetch(options, 300);
  CHECK(plan.rows_per_page == 6'990);  // 2 MB / 300 B
  CHECK(plan.concurrency == 4);
  plan = bigquery::plan_fetch(options, 5'000'000);  // rows larger than a page
  CHECK(plan.rows_per_page == 1);
  CHECK(plan.concurrency == 1);
  options.page_size = 10;
  options.concurrency = 16;
  plan = bigquery::plan_fetch(options, 100);
  CHECK(plan.rows_per_page == 10);
  CHECK(plan.concurrency == 16);
}
