// The query-in-place behaviours Snowflake and Databricks must both show
// through `sluice query`, written once (sql_common/query_checks.hpp is the
// same for PostgreSQL and MariaDB). `Fixture` is SnowflakeFixture or
// DatabricksFixture: sluice(), connection_path(), write_connection() and a
// fake whose cancelled() lists the statements cancelled at it. Catch
// checks: include from a test file.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace sluice::test {

// A result the fake splits into parts (partitions, chunks) of 2,000 rows,
// cut by --limit-rows 2000: exactly 2,000 rows printed, exit 1 (it fails
// closed), and the statement cancelled at the source, which the log says.
// The caller sets the fake's part size to 2,000 first.
template <typename Fixture>
void check_cli_limit_rows_across_parts(Fixture& f) {
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(),
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) SELECT i FROM n",
                       "--limit-rows", "2000", "--format", "csv"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(std::count(run.out.begin(), run.out.end(), '\n') == 2001);  // the header and 2000 rows
  CHECK_THAT(run.err, Catch::Contains("error: query: the result was cut by --limit-rows 2000 after 2000 rows"));
  REQUIRE(f.fake->cancelled().size() == 1);
  CHECK_THAT(run.err, Catch::Contains("statement " + f.fake->cancelled()[0] + " cancelled"));
}

}  // namespace sluice::test
