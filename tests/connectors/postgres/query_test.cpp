// sluice query against PostgreSQL, end to end: the real CLI and plugin
// against the suite's server. The guards the plugin pushes into the server
// (its own statement_timeout, PQcancel when the host stops) are seen in
// pg_stat_activity; memory is the CLI process's own peak.
#include "pg_source_fixture.hpp"

#include "sql_common/query_checks.hpp"

#include <catch2/catch.hpp>

using namespace pg_source_test;

namespace {

void add_usage(PgSourceFixture& f) {
  f.source->exec("CREATE TABLE usage_events (customer_id text, plan text, quantity integer, amount numeric(12,4), "
                 "occurred_at timestamptz)");
  f.source->exec("INSERT INTO usage_events VALUES ('c_001', 'pro', 700, 49.0000, '2024-05-01T00:00:00Z'), "
                 "('c_001', 'pro', 500, 35.0000, '2024-05-31T23:59:59.999999Z'), "
                 "('c_001', 'pro', 9, 1.0000, '2024-06-01T00:00:00Z'), "
                 "('c_002', 'pro', 10, 0.5000, '2024-05-15T12:00:00+02:00'), "
                 "('c_003', 'basic', 99, 9.9900, '2024-05-15T12:00:00Z'), "
                 "('c_004', 'pro'' OR ''''=''', 1, 1.0000, '2024-05-15T12:00:00Z')");
}

const char* kBilling =
    "SELECT customer_id, sum(quantity) AS units, sum(amount) AS amount FROM usage_events "
    "WHERE occurred_at >= :from AND occurred_at < :to AND plan = :plan GROUP BY customer_id ORDER BY customer_id";

}  // namespace

TEST_CASE("sluice query answers a PostgreSQL billing question with its parameters bound at the server") {
  PgSourceFixture f;
  add_usage(f);
  sql_query_test::check_cli_billing_question(f, kBilling,
                                             "{\"customer_id\":\"c_001\",\"units\":1200,\"amount\":\"84.0000\"}\n"
                                             "{\"customer_id\":\"c_002\",\"units\":10,\"amount\":\"0.5000\"}\n",
                                             "{\"customer_id\":\"c_004\",\"units\":1,\"amount\":\"1.0000\"}\n");
}

TEST_CASE("sluice query --format json types a PostgreSQL result's columns as discover types the table's") {
  PgSourceFixture f;
  add_usage(f);
  sql_query_test::check_cli_result_types(f, "", R"([["c_001","pro",9,"1.0000","2024-06-01T00:00:00Z"]])");
}

TEST_CASE("a PostgreSQL statement past sluice query --timeout is stopped at the server and fails") {
  PgSourceFixture f;
  sql_query_test::check_cli_timeout(f, "SELECT pg_sleep(20) /* cli-timeout-test */", "cli-timeout-test");
}

TEST_CASE("sluice query --limit-rows stops a longer PostgreSQL result at the server and fails closed") {
  PgSourceFixture f;
  sql_query_test::check_cli_limit_rows(f,
                                       "SELECT g, CASE WHEN g = 5000 THEN pg_sleep(20) END AS nap /* cli-limit-test */ "
                                       "FROM generate_series(1, 6000) AS g",
                                       "cli-limit-test");
}

TEST_CASE("SIGTERM during sluice query cancels the PostgreSQL statement at the server and exits 130") {
  PgSourceFixture f;
  sql_query_test::check_cli_sigterm(f, "SELECT pg_sleep(20) /* cli-sigterm-test */", "cli-sigterm-test");
}

TEST_CASE("two million PostgreSQL rows stream through sluice query with a peak memory far below their size") {
  PgSourceFixture f;
  sql_query_test::check_cli_bounded_memory(
      f, "SELECT g, 'row ' || g AS label, g * 0.5 AS half FROM generate_series(1, 2000000) AS g");
}
