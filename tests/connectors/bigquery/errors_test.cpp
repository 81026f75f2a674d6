// Failures as an operator meets them: rejected keys, missing permissions,
// missing datasets, rate limits and server errors; secrets never printed.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;
using sluice::test::Rows;

TEST_CASE("a key the token endpoint rejects fails check with an auth error naming the service account") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 1));
  // Same account, but signed with a key Google does not know: invalid_grant.
  const auto other = sluice::testkit::generate_rsa_key();
  f.key_json = sluice::testkit::service_account_json(kServiceAccount, other, f.server->base_url() + "/token", kProject);
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(kServiceAccount) && Catch::Contains("invalid_grant") && Catch::Contains("[auth]"));
  CHECK(f.fake->tokens_issued() == 0);
  CHECK_THAT(result.all(), !Catch::Contains("PRIVATE KEY"));
}

TEST_CASE("check succeeds with a valid key and prints no secret") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 1));
  f.write_connection({}, {{"datasets", json::array{"sales"}}});
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK(f.fake->tokens_issued() == 1);
  CHECK_THAT(result.all(), !Catch::Contains("PRIVATE KEY") && !Catch::Contains("ya29."));
  CHECK(f.fake->query_requests().empty());  // check runs no (billed) query
}

TEST_CASE("a revoked access token (401) is an auth error naming the service account") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 1));
  f.fake->set_tokens_accepted(false);
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(kServiceAccount) && Catch::Contains("401") && Catch::Contains("[auth]"));
}

TEST_CASE("403 accessDenied says which permission is missing and which role grants it") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  f.fake->deny_permission("bigquery.jobs.create");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto result = f.sync();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("service account " + std::string(kServiceAccount) +
                                         " lacks permission bigquery.jobs.create") &&
                             Catch::Contains("BigQuery Job User (roles/bigquery.jobUser)"));
}

TEST_CASE("a dataset or table that does not exist is a config error naming it") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 1));
  f.write_connection({}, {{"datasets", json::array{"nope"}}});
  auto missing_dataset = f.sluice({"discover", f.connection_path()});
  CHECK(missing_dataset.exit_code == 1);
  CHECK_THAT(missing_dataset.err, Catch::Contains("bigquery discover: dataset my-proj:nope not found") &&
                                      Catch::Contains("[config]"));  // the plugin's name said once, by the host

  // A table dropped between tables.list and tables.get.
  f.fake->add_phantom_table("sales", "ghost");
  f.write_connection({}, {{"datasets", json::array{"sales"}}});
  auto missing_table = f.sluice({"discover", f.connection_path()});
  CHECK(missing_table.exit_code == 1);
  CHECK_THAT(missing_table.err, Catch::Contains("table my-proj:sales.ghost not found") && Catch::Contains("[config]"));
}

TEST_CASE("429, 403 rateLimitExceeded and 503 are retried with backoff and the sync completes") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 30));
  f.fake->set_page_rows(10);
  f.fake->inject_errors({{"queries", 429, "rateLimitExceeded"},
                         {"queries", 403, "rateLimitExceeded"},
                         {"queries/", 503, "backendError"}});
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM sales__orders") == Rows{{"30", "30"}});
  CHECK(f.fake->injected_errors_left() == 0);
}

TEST_CASE("quotaExceeded is not retried: the sync fails at once with BigQuery's message") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  f.fake->inject_errors({{"queries", 403, "quotaExceeded"}});
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream sales.orders failed") &&
                         Catch::Contains("bigquery read: quotaExceeded on jobs.query on project my-proj"));
  CHECK(f.fake->query_requests().empty());  // a retry would have reached the fake and started a job
}

TEST_CASE("a credentials_json that is not a service account key is a config error that does not quote it") {
  BigQueryFixture f;
  f.key_json = "{\"type\":\"authorized_user\",\"refresh_token\":\"s3cr3t-refresh\"}";
  f.write_connection();
  auto result = f.check();
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("credentials_json: not a service-account key") && Catch::Contains("[config]"));
  CHECK_THAT(result.all(), !Catch::Contains("s3cr3t-refresh"));
  CHECK(f.fake->tokens_issued() == 0);
}
