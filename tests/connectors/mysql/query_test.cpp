// sluice query against MariaDB, end to end: the real CLI and plugin against
// the suite's server. The guards the plugin pushes into the server (its own
// max_statement_time, KILL QUERY when the host stops) are seen in the
// processlist; memory is the CLI process's own peak.
#include "mysql_source_fixture.hpp"

#include "sql_common/query_checks.hpp"

#include <catch2/catch.hpp>

using namespace mysql_source_test;

namespace {

void add_usage(MysqlSourceFixture& f) {
  f.exec({"CREATE TABLE usage_events (customer_id VARCHAR(10), plan VARCHAR(20), quantity INT, amount DECIMAL(12,4), "
          "occurred_at TIMESTAMP(6) NULL)",
          "SET time_zone = '+00:00'",
          "INSERT INTO usage_events VALUES ('c_001', 'pro', 700, 49.0000, '2024-05-01 00:00:00'), "
          "('c_001', 'pro', 500, 35.0000, '2024-05-31 23:59:59.999999'), "
          "('c_001', 'pro', 9, 1.0000, '2024-06-01 00:00:00'), "
          "('c_002', 'pro', 10, 0.5000, '2024-05-15 10:00:00'), "
          "('c_003', 'basic', 99, 9.9900, '2024-05-15 12:00:00'), "
          "('c_004', 'pro'' OR ''''=''', 1, 1.0000, '2024-05-15 12:00:00')"});
}

const char* kBilling =
    "SELECT customer_id, SUM(quantity) AS units, SUM(amount) AS amount FROM usage_events "
    "WHERE occurred_at >= :from AND occurred_at < :to AND plan = :plan GROUP BY customer_id ORDER BY customer_id";

}  // namespace

TEST_CASE("sluice query answers a MariaDB billing question with its parameters bound at the server") {
  MysqlSourceFixture f;
  add_usage(f);
  sql_query_test::check_cli_billing_question(f, kBilling,
                                             "{\"customer_id\":\"c_001\",\"units\":\"1200\",\"amount\":\"84.0000\"}\n"
                                             "{\"customer_id\":\"c_002\",\"units\":\"10\",\"amount\":\"0.5000\"}\n",
                                             "{\"customer_id\":\"c_004\",\"units\":\"1\",\"amount\":\"1.0000\"}\n");
}

TEST_CASE("sluice query --format json types a MariaDB result's columns as discover types the table's") {
  MysqlSourceFixture f;
  add_usage(f);
  sql_query_test::check_cli_result_types(f, "x-mysql-type", R"([["c_001","pro",9,"1.0000","2024-06-01T00:00:00.000000Z"]])");
}

TEST_CASE("a MariaDB statement past sluice query --timeout is stopped at the server and fails") {
  MysqlSourceFixture f;
  sql_query_test::check_cli_timeout(f, "SELECT SLEEP(20) /* cli-timeout-test */", "cli-timeout-test");
}

TEST_CASE("sluice query --limit-rows stops a longer MariaDB result at the server and fails closed") {
  MysqlSourceFixture f;
  sql_query_test::check_cli_limit_rows(
      f, "SELECT seq, IF(seq = 5000, SLEEP(20), 0) AS nap /* cli-limit-test */ FROM seq_1_to_6000", "cli-limit-test");
}

TEST_CASE("SIGTERM during sluice query kills the MariaDB statement at the server and exits 130") {
  MysqlSourceFixture f;
  sql_query_test::check_cli_sigterm(f, "SELECT SLEEP(20) /* cli-sigterm-test */", "cli-sigterm-test");
}

TEST_CASE("two million MariaDB rows stream through sluice query with a peak memory far below their size") {
  MysqlSourceFixture f;
  sql_query_test::check_cli_bounded_memory(
      f, "SELECT seq, CONCAT('row ', seq) AS label, seq * 0.5 AS half FROM seq_1_to_2000000");
}
