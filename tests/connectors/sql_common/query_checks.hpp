// The query-in-place behaviours PostgreSQL and MariaDB must both show, each
// written once and run against each server with its own SQL and expected
// text: a billing question with bound parameters, result types as discover
// types them, and stops (a statement that would sleep 20 s at the server
// and carries a tag its fixture's running(tag) finds among the server's
// running statements). Catch checks: include from a test file. `Fixture` is
// PgSourceFixture or MysqlSourceFixture (sluice(), connection_path(), dir,
// running(), discover_streams()).
#pragma once

#include "common/sanitizer.hpp"
#include "sql_common/query_capture.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>

namespace sql_query_test {

// Through the CLI: a billing question (`billing`, with :from, :to and :plan)
// over the fixture's usage_events, its parameters bound at the server: the
// May rows of plan pro are `expected` (NDJSON); a plan value holding SQL
// matches only the row whose plan is that very text (`hostile_expected`).
template <typename Fixture>
void check_cli_billing_question(Fixture& f, const std::string& billing, const std::string& expected,
                                const std::string& hostile_expected) {
  f.write_connection();
  auto ask = [&](const std::string& plan) {
    return f.sluice({"query", f.connection_path(), billing, "--param", "from:timestamp=2024-05-01T00:00:00Z", "--param",
                     "to:timestamp=2024-06-01T00:00:00Z", "--param", "plan=" + plan, "--format", "ndjson"});
  };
  auto run = ask("pro");
  INFO(run.all());
  CHECK(run.exit_code == 0);
  CHECK(run.out == expected);
  auto hostile = ask("pro' OR ''='");
  INFO(hostile.all());
  CHECK(hostile.exit_code == 0);
  CHECK(hostile.out == hostile_expected);
}

// Through the CLI: --format json types each column of a result as discover
// types the table's (`ignored`: a schema key only discover knows, or ""),
// and its rows are `rows` (JSON).
template <typename Fixture>
void check_cli_result_types(Fixture& f, const char* ignored, const std::string& rows) {
  f.write_connection();
  const boost::json::object properties =
      f.discover_streams().at(0).at("json_schema").at("properties").as_object();
  auto run = f.sluice({"query", f.connection_path(), "SELECT * FROM usage_events WHERE quantity = :q", "--param",
                       "q:integer=9", "--format", "json"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const boost::json::object result = boost::json::parse(run.out).as_object();
  const boost::json::array& columns = result.at("columns").as_array();
  REQUIRE(columns.size() == 5);
  for (const auto& column : columns) {
    INFO(boost::json::serialize(column));
    const boost::json::object& discovered = properties.at(column.at("name").as_string()).as_object();
    CHECK(without(column.at("schema").as_object(), ignored) == without(discovered, ignored));
  }
  CHECK(boost::json::serialize(result.at("rows")) == rows);
}

// Through the CLI: the server's own timeout (or the host's) ends it, exit 1,
// and nothing of it still runs.
template <typename Fixture>
void check_cli_timeout(Fixture& f, const std::string& sleeping_sql, const std::string& tag) {
  f.write_connection();
  const auto start = std::chrono::steady_clock::now();
  auto run = f.sluice({"query", f.connection_path(), sleeping_sql, "--timeout", "1"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(eventually([&] { return f.running(tag) == "0"; }));
}

// Through the CLI: rows past --limit-rows stop the statement at the server
// long before it would end; the command fails closed.
template <typename Fixture>
void check_cli_limit_rows(Fixture& f, const std::string& slow_after_rows_sql, const std::string& tag) {
  f.write_connection();
  const auto start = std::chrono::steady_clock::now();
  auto run = f.sluice({"query", f.connection_path(), slow_after_rows_sql, "--limit-rows", "10", "--format", "csv"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("cut by --limit-rows 10 after 10 rows"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(eventually([&] { return f.running(tag) == "0"; }));
}

// Through the CLI: SIGTERM while the statement runs at the server stops it
// there; exit 130.
template <typename Fixture>
void check_cli_sigterm(Fixture& f, const std::string& sleeping_sql, const std::string& tag) {
  f.write_connection();
  bool was_running = false;
  sluice::test::ProcessOptions options;
  options.while_running = [&](int pid) {
    was_running = eventually([&] { return f.running(tag) == "1"; });
    ::kill(pid, SIGTERM);
  };
  auto run = f.sluice({"query", f.connection_path(), sleeping_sql}, options);
  INFO(run.all());
  CHECK(was_running);
  CHECK(run.exit_code == 130);
  CHECK(eventually([&] { return f.running(tag) == "0"; }));
}

// Through the CLI: two million rows as NDJSON (over 80 MB) with the
// process's peak resident memory under 40 MB.
template <typename Fixture>
void check_cli_bounded_memory(Fixture& f, const std::string& two_million_rows_sql) {
  f.write_connection();
  const std::string output = f.dir.file("out.ndjson");
  const auto run = run_sluice_measured({"query", f.connection_path(), two_million_rows_sql, "--format", "ndjson"},
                                       f.dir.path().string(), output);
  std::ifstream in(output, std::ios::ate | std::ios::binary);
  const auto bytes = static_cast<size_t>(in.tellg());
  INFO("output " << bytes / 1000000 << " MB, peak RSS " << run.peak_bytes / 1000000 << " MB");
  CHECK(run.exit_code == 0);
  CHECK(bytes > 80000000);
  if (!sluice::test::kUnderSanitizer) CHECK(run.peak_bytes < 40000000);
}

// In process: `run(capture, request)` is the connector's query; two million
// rows (over 40 MB of row text) grow this process by under 16 MB.
template <typename Run>
void check_bounded_memory(Run&& run, const std::string& two_million_rows_sql) {
  QueryCapture capture;
  capture.keep_rows = false;
  const size_t before = resident_bytes();
  size_t peak = before;
  capture.on_rows = [&] { peak = std::max(peak, resident_bytes()); };
  REQUIRE(run(capture, request(two_million_rows_sql)) == "");
  CHECK(capture.row_count == 2000000);
  INFO("result " << capture.row_bytes / 1000000 << " MB of rows, resident growth " << (peak - before) / 1000000 << " MB");
  CHECK(capture.row_bytes > 40000000);
  if (!sluice::test::kUnderSanitizer) CHECK(peak - before < 16000000);
}

// In process: the host stops after the first batch (2,000 rows); the
// statement, which would sleep at a later row, is stopped at the server.
template <typename Fixture, typename Run>
void check_cancel_after_first_rows(Fixture& f, Run&& run, const std::string& slow_after_rows_sql,
                                   const std::string& tag) {
  QueryCapture capture;
  capture.cancel_after_rows = 1;
  const auto start = std::chrono::steady_clock::now();
  CHECK(run(capture, request(slow_after_rows_sql)) == "cancelled");
  CHECK(capture.row_count == 2000);
  CHECK(eventually([&] { return f.running(tag) == "0"; }));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

// In process: the host cancels while the statement runs at the server.
template <typename Fixture, typename Run>
void check_host_cancel(Fixture& f, Run&& run, const std::string& sleeping_sql, const std::string& tag) {
  QueryCapture capture;
  std::thread canceller([&] {
    if (eventually([&] { return f.running(tag) == "1"; })) capture.cancelled = true;
  });
  const std::string outcome = run(capture, request(sleeping_sql));
  canceller.join();
  CHECK(capture.cancelled);
  CHECK(outcome == "cancelled");
  CHECK(eventually([&] { return f.running(tag) == "0"; }));
}

}  // namespace sql_query_test
