// Refusals in Databricks' words, each one line saying what and where: a
// wrong token, a service principal's wrong secret, no USE CATALOG, no SELECT,
// a cluster's HTTP path, a missing catalog, FAILED statements; hostile names.
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace databricks_test;
using sluice::test::Rows;

TEST_CASE("a wrong personal access token is an auth error in Databricks' words, the token never shown") {
  DatabricksFixture f;
  f.write_connection({}, {{"credentials", {{"auth_type", "personal_access_token"}, {"token", "dapi-wrong-secret"}}}});
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.all(), Catch::Contains("Databricks refused the credentials (personal access token) for the check "
                                           "statement: Databricks error UNAUTHENTICATED: Invalid access token.; the token "
                                           "may be wrong, expired or revoked"));
  CHECK_THAT(result.all(), !Catch::Contains("dapi-wrong-secret"));
}

TEST_CASE("a service principal gets an OAuth M2M token (Basic auth, scope all-apis) once and uses it as a bearer") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->register_service_principal("sp-0123", "dose-secret");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")},
                     {{"credentials", {{"auth_type", "oauth_m2m"}, {"client_id", "sp-0123"}, {"client_secret", "dose-secret"}}}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->tokens_issued() == 1);
  const auto requests = f.server->requests();
  REQUIRE(requests.front().path == "/oidc/v1/token");
  CHECK(requests.front().form() == std::map<std::string, std::string>{{"grant_type", "client_credentials"}, {"scope", "all-apis"}});
  CHECK(requests.back().header("Authorization") == "Bearer eyJfake.1");
  CHECK(f.rows("SELECT count(*) FROM main_sales__orders") == Rows{{"3"}});
}

TEST_CASE("a service principal's wrong secret is refused by the token endpoint: auth error naming the client, not the secret") {
  DatabricksFixture f;
  f.fake->register_service_principal("sp-0123", "dose-secret");
  f.write_connection({}, {{"credentials", {{"auth_type", "oauth_m2m"}, {"client_id", "sp-0123"}, {"client_secret", "wrong-one"}}}});
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.all(), Catch::Contains("service principal sp-0123: the token endpoint https://127.0.0.1:" +
                                           std::to_string(f.server->port()) +
                                           "/oidc/v1/token refused the credentials: invalid_client: Client authentication failed"));
  CHECK_THAT(result.all(), !Catch::Contains("wrong-one"));
}

TEST_CASE("without USE CATALOG, discovery fails with Databricks' message and the privileges needed") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->deny_catalog();
  f.write_connection();
  auto result = f.sluice({"discover", f.connection_path()});
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.all(), Catch::Contains("listing the schemas of catalog main is forbidden: Databricks error "
                                           "PERMISSION_DENIED: User does not have USE CATALOG on Catalog 'main'.; the "
                                           "reader needs USE CATALOG on the catalog, USE SCHEMA on the schemas and SELECT "
                                           "on the tables, and CAN USE on the SQL warehouse"));
}

TEST_CASE("a table without SELECT fails its stream with the FAILED statement's error_code, SQL state and message") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->warehouse().deny("sales", "orders");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of main.sales.orders failed: Databricks error BAD_REQUEST (42501): "
                                        "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have SELECT on "
                                        "Table 'main.sales.orders'. SQLSTATE: 42501 [config]"));
}

TEST_CASE("a cluster's HTTP path and a missing catalog are config errors before any request") {
  DatabricksFixture f;
  SECTION("cluster path") {
    f.write_connection({}, {{"http_path", "/sql/protocolv1/o/1234567890123456/0123-456789-abcdefgh"}});
    auto result = f.check();
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.all(), Catch::Contains("config.http_path: this is an all-purpose cluster's HTTP path; the Statement "
                                             "Execution API needs a SQL warehouse"));
  }
  SECTION("no catalog") {
    f.write_connection({}, {{"catalog", nullptr}});
    auto result = f.check();
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.all(), Catch::Contains("config.catalog: required: the connector reads Unity Catalog tables"));
  }
  CHECK(f.server->request_count() == 0);
}

TEST_CASE("a statement canceled at the source fails the stream saying so") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->set_pending_polls(-1, "SELECT * FROM");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  std::thread canceller([&] {
    if (!f.fake->wait_for_polls(1, std::chrono::seconds(60))) return;
    // An administrator cancels it (Query History > Cancel).
    const auto statements = f.fake->statements();
    FakeRequest request;
    request.method = "POST";
    request.headers = {{"Authorization", std::string("Bearer ") + kToken}};
    request.path = "/api/2.0/sql/statements/01ef-1000-fake-statement/cancel";
    f.fake->handle(request);
  });
  auto run = f.sync();
  canceller.join();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of main.sales.orders was canceled on Databricks (statement 01ef-1000-fake-statement)"));
}

TEST_CASE("a statement found CLOSED (its results no longer available) fails the stream as transient, naming it") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 3);
  f.fake->set_pending_polls(2, "SELECT * FROM");
  f.fake->set_closing("SELECT * FROM");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of main.sales.orders: statement 01ef-1000-fake-statement is CLOSED: its "
                                        "results are no longer available [transient]"));
}

TEST_CASE("a statement the warehouse stops at its STATEMENT_TIMEOUT fails the stream as transient in one line, committing nothing") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 30);
  f.fake->set_chunk_rows(10);
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at")});
  REQUIRE(f.sync().exit_code == 0);
  const Rows state_before = f.rows("SELECT state FROM _sluice_state");
  insert_orders(f.fake->warehouse(), 31, 50);
  // The read runs, then stops at the warehouse's timeout (no real wait: the
  // fake says so on the first poll).
  f.fake->time_out_statements("SELECT * FROM `sales`.`orders`", /*running_polls=*/1, /*seconds=*/3600);
  const std::string line =
      "the read of main.sales.orders ran past the SQL warehouse's STATEMENT_TIMEOUT and was stopped: Databricks error "
      "DEADLINE_EXCEEDED: Statement has timed out after 3600 seconds (STATEMENT_TIMEOUT). [transient]";
  auto said_once = [&](const std::string& all) {
    size_t times = 0;
    for (size_t at = all.find(line); at != std::string::npos; at = all.find(line, at + 1)) ++times;
    return times == 1;
  };
  // Incremental: the rows and the checkpoint as they were.
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK(said_once(run.all()));
  CHECK(f.rows("SELECT count(*), sum(id) FROM main_sales__orders") == Rows{{"30", "465"}});
  CHECK(f.rows("SELECT state FROM _sluice_state") == state_before);
  // Full refresh: the previous table stays whole.
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto refresh = f.sync();
  INFO(refresh.all());
  CHECK(refresh.exit_code != 0);
  CHECK(said_once(refresh.all()));
  CHECK(f.rows("SELECT count(*), sum(id) FROM main_sales__orders") == Rows{{"30", "465"}});
  CHECK(f.fake->cancelled().empty());  // a FAILED statement has nothing left to cancel
}

TEST_CASE("hostile table and column names are backquoted and read as themselves") {
  DatabricksFixture f;
  const std::string table = "we`ird; DROP TABLE x; --";
  f.fake->warehouse().create_table("sales", table, {{"select", "BIGINT"}, {"a`b \"c\"", "STRING"}});
  f.fake->warehouse().insert("sales", table, {{"7", "seven"}});
  f.write_connection({stream_selection("sales", table, "incremental_append", "select")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->statements().back().at("statement") ==
        "SELECT * FROM `sales`.`we``ird; DROP TABLE x; --` ORDER BY `select`");
  auto again = f.sync();
  REQUIRE(again.exit_code == 0);
  CHECK(f.fake->statements().back().at("statement") ==
        "SELECT * FROM `sales`.`we``ird; DROP TABLE x; --` WHERE `select` >= :cursor ORDER BY `select`");
  CHECK(f.fake->statements().back().at("parameters") == json::parse(R"([{"name": "cursor", "type": "BIGINT", "value": "7"}])"));
}
