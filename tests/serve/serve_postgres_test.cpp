// The daemon on a PostgreSQL store (the production store, and the one
// several hosts will share): migrated on start, connections sealed, jobs
// recorded, on the test server of tests/target (a new database per test).
#include "serve/daemon_fixture.hpp"
#include "target/target_db.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

using namespace sluice::test;
namespace json = boost::json;

TEST_CASE("on a PostgreSQL store the daemon migrates the schema and keeps connections sealed and runs a sync") {
  TempDir dir;
  auto store = TargetDb::create(Engine::postgres, dir.path().string());
  Daemon daemon(dir.path(), {{"store", store->url()}});
  const std::string admin = daemon.create_key("admin");
  daemon.start();
  CHECK_THAT(daemon.first_line(), Catch::Contains("(store postgresql://"));
  CHECK_THAT(daemon.first_line(), Catch::Contains(":********@"));
  CHECK(store->value("SELECT MAX(version) FROM sluice_serve_schema") == "1");
  CHECK(store->value("SELECT role FROM sluice_api_keys") == "admin");

  auto made = daemon.post("/v1/connections", admin, synthetic_connection("pg", dir.path(), "pg-store-secret"));
  REQUIRE(made.status == 201);
  const std::string id(made.json().at("id").as_string());
  const std::string sealed = store->value("SELECT sealed FROM sluice_connections");
  CHECK_THAT(sealed, Catch::StartsWith("v1:"));
  CHECK(sealed.find("pg-store-secret") == std::string::npos);

  auto queued = daemon.post("/v1/connections/" + id + "/syncs", admin, json::object{});
  REQUIRE(queued.status == 201);
  const std::string sync(queued.json().at("id").as_string());
  auto done = daemon.get("/v1/syncs/" + sync + "?wait_seconds=30", admin).json();
  CHECK(done.at("status") == "succeeded");
  CHECK(store->value("SELECT status FROM sluice_jobs WHERE id = '" + sync + "'") == "succeeded");
  CHECK(store->value("SELECT claimed_by FROM sluice_jobs WHERE id = '" + sync + "'") != "NULL");
  auto logs = daemon.get("/v1/syncs/" + sync + "/logs", admin).json();
  CHECK(std::to_string(logs.at("lines").as_array().size()) ==
        store->value("SELECT COUNT(*) FROM sluice_job_logs WHERE job_id = '" + sync + "'"));
  CHECK(WEXITSTATUS(daemon.stop()) == 0);
}
