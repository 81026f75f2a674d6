// The daemon on a PostgreSQL store (the production store, and the one
// several hosts share): migrated on start, connections sealed, jobs
// recorded, on the test server of tests/target (a new database per test);
// and two daemons on one store, one killed in the middle of a sync.
#include "common/sqlite_reader.hpp"
#include "serve/daemon_fixture.hpp"
#include "target/target_db.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

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
  CHECK(store->value("SELECT MAX(version) FROM sluice_serve_schema") == "5");
  CHECK(store->value("SELECT role FROM sluice_api_keys") == "admin");

  auto made = daemon.post("/v1/connections", admin, synthetic_connection("pg", dir.path(), "pg-store-secret"));
  REQUIRE(made.status == 201);
  const std::string id(made.json().at("id").as_string());
  // The query record on PostgreSQL: a query refused (synthetic cannot
  // query) is recorded, finished and listed.
  auto refused = daemon.post("/v1/connections/" + id + "/query", admin, boost::json::object{{"sql", "SELECT 1"}});
  CHECK(refused.status == 422);
  auto queries = daemon.get("/v1/queries?connection_id=" + id + "&outcome=refused", admin);
  REQUIRE(queries.status == 200);
  CHECK(queries.json().at("queries").at(0).at("error") ==
        "plugin synthetic cannot run queries (GET /v1/plugins shows each plugin's query_dialect)");
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

namespace {


}  // namespace

// Two daemons, host-a and host-b, on one store with a 2 s lease; a scripted
// sync of ten records in batches of two, started on host-a and paused after
// its first checkpoint until `resume` exists.
struct TwoHosts {
  TempDir dir;
  std::unique_ptr<TargetDb> store = TargetDb::create(Engine::postgres, dir.path().string());
  std::unique_ptr<Daemon> a, b;
  std::string admin, resume = dir.file("resume"), target = dir.file("items.db"), sync;

  TwoHosts() {
    // One secrets key for both hosts (as one key file shared between machines).
    json::object shared{{"store", store->url()},
                        {"secrets_key", {{"file", dir.file("shared.key")}, {"env", "SLUICE_TEST_NO_SUCH_VARIABLE"}}},
                        {"lease_seconds", 2}};
    std::filesystem::create_directories(dir.path() / "a");
    std::filesystem::create_directories(dir.path() / "b");
    json::object a_settings = shared, b_settings = shared;
    a_settings["host_id"] = "host-a";
    b_settings["host_id"] = "host-b";
    a = std::make_unique<Daemon>(dir.path() / "a", a_settings);
    b = std::make_unique<Daemon>(dir.path() / "b", b_settings);
    admin = a->create_key("admin");
    a->start();
    json::array records;
    for (int i = 1; i <= 10; ++i) {
      records.push_back(json::object{{"id", i}, {"ts", "2026-01-01T00:00:0" + std::to_string(i % 10) + "Z"},
                                     {"v", "r" + std::to_string(i)}});
    }
    json::object stream{{"name", "items"},
                        {"json_schema", {{"type", "object"},
                                         {"properties", {{"id", {{"type", "integer"}}},
                                                         {"ts", {{"type", "string"}}},
                                                         {"v", {{"type", "string"}}}}}}},
                        {"sync_modes", json::array{"incremental_append"}},
                        {"cursor", json::array{"ts"}},
                        {"primary_key", json::array{json::array{"id"}}},
                        {"records", records},
                        {"batch_size", 2},
                        {"pause_after_batches", 1},
                        {"resume_file", resume}};
    json::object body{
        {"name", "failover"},
        {"connection", {{"source", {{"plugin", "scripted"}, {"config", {{"streams", json::array{stream}}}}}},
                        {"target", "sqlite://" + target},
                        {"streams", json::array{json::object{{"name", "items"}, {"mode", "incremental_append"}}}}}}};
    auto made = a->post("/v1/connections", admin, body);
    REQUIRE(made.status == 201);
    const std::string connection(made.json().at("id").as_string());
    auto queued = a->post("/v1/connections/" + connection + "/syncs", admin, json::object{});
    REQUIRE(queued.status == 201);
    sync = std::string(queued.json().at("id").as_string());
    eventually([&] { return sqlite_value(target, "SELECT COUNT(*) FROM items") == "2"; },
               "host-a's child has committed its first checkpoint");
    CHECK(holder() == "host-a");
    b->start();
  }
  std::string holder() { return store->value("SELECT claimed_by FROM sluice_jobs WHERE id = '" + sync + "'"); }
  // The target holds exactly the rows of an uninterrupted run.
  void check_rows_of_one_run() {
    CHECK(sqlite_value(target, "SELECT COUNT(*) FROM items") == "10");
    CHECK(sqlite_value(target, "SELECT COUNT(DISTINCT id) FROM items") == "10");
    CHECK(sqlite_value(target, "SELECT GROUP_CONCAT(v, ',') FROM (SELECT v FROM items ORDER BY id)") ==
          "r1,r2,r3,r4,r5,r6,r7,r8,r9,r10");
    CHECK(store->value("SELECT COUNT(*) FROM sluice_jobs") == "1");
  }
};

TEST_CASE("two daemons on one PostgreSQL store: kill -9 one in the middle of a sync and the other finishes it with exactly the rows of an uninterrupted run") {
  TwoHosts hosts;
  hosts.a->kill9();
  // host-a's child dies with it: it sees its progress pipe hang up and
  // stops at its checkpoint (the target records its run as ended).
  eventually(
      [&] { return sqlite_value(hosts.target, "SELECT COUNT(*) FROM _sluice_syncs WHERE status = 'running'") == "0"; },
      "host-a's child has stopped");
  CHECK(sqlite_value(hosts.target, "SELECT COUNT(*) FROM items") == "2");
  // Once host-a's lease has expired, host-b takes the job over.
  std::ofstream(hosts.resume) << "go";
  eventually([&] { return hosts.holder() == "host-b"; }, "host-b has taken the job over");
  auto done = hosts.b->get("/v1/syncs/" + hosts.sync + "?wait_seconds=30", hosts.admin).json();
  INFO(json::serialize(done));
  CHECK(done.at("status") == "succeeded");
  hosts.check_rows_of_one_run();
  CHECK_THAT(hosts.b->log(), Catch::Contains("sluice serve: job " + hosts.sync +
                                             " taken over from host-a (its lease expired); going on from the "
                                             "target's last checkpoint"));
  CHECK(WEXITSTATUS(hosts.b->stop()) == 0);
}

TEST_CASE("a host frozen past its lease loses the job: the other host waits on the run lock, the stale host stops its child and records nothing") {
  TwoHosts hosts;
  // Frozen (a long GC pause, a VM migration): no heartbeats, but its child
  // still holds the target's run lock.
  const int a_pid = hosts.a->pid();
  REQUIRE(::kill(a_pid, SIGSTOP) == 0);
  eventually([&] { return hosts.holder() == "host-b"; }, "host-b has taken the job over");
  // host-b's child waits for the lock; host-a wakes, finds its lease gone at
  // its next heartbeat and stops its child at the checkpoint.
  REQUIRE(::kill(a_pid, SIGCONT) == 0);
  eventually([&] { return hosts.a->log().find("another host holds it now and records its end") != std::string::npos; },
             "host-a has stopped its child and left the job to host-b");
  CHECK_THAT(hosts.a->log(), Catch::Contains("job " + hosts.sync + ": its lease was taken over by host-b"));
  // host-a's child wrote nothing past its checkpoint (2 rows); host-b's may
  // by now have taken the lock and written its own first batch (4 rows).
  const std::string rows = sqlite_value(hosts.target, "SELECT COUNT(*) FROM items");
  CHECK((rows == "2" || rows == "4"));
  std::ofstream(hosts.resume) << "go";
  auto done = hosts.b->get("/v1/syncs/" + hosts.sync + "?wait_seconds=30", hosts.admin).json();
  INFO(json::serialize(done));
  CHECK(done.at("status") == "succeeded");
  CHECK(hosts.holder() == "host-b");
  hosts.check_rows_of_one_run();
  // host-a's view of the store is host-b's outcome.
  CHECK(hosts.a->get("/v1/syncs/" + hosts.sync, hosts.admin).json().at("status") == "succeeded");
}

TEST_CASE("two daemons on one PostgreSQL store ingest into one PostgreSQL target: an id posted to both, at once or later, is stored once") {
  TempDir dir;
  auto store = TargetDb::create(Engine::postgres, dir.path().string());
  auto events = TargetDb::create(Engine::postgres, dir.path().string());
  json::object shared{{"store", store->url()},
                      {"secrets_key", {{"file", dir.file("shared.key")}, {"env", "SLUICE_TEST_NO_SUCH_VARIABLE"}}},
                      {"ingest", {{"default_target", events->url()}}}};
  std::filesystem::create_directories(dir.path() / "a");
  std::filesystem::create_directories(dir.path() / "b");
  json::object a_settings = shared, b_settings = shared;
  a_settings["host_id"] = "host-a";
  b_settings["host_id"] = "host-b";
  Daemon a(dir.path() / "a", a_settings), b(dir.path() / "b", b_settings);
  const std::string admin = a.create_key("admin");
  const std::string key = a.create_key("ingest");
  a.start();
  b.start();
  json::object properties{{"event_id", {{"type", "string"}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"units", {{"type", "integer"}}}};
  auto made = a.post("/v1/ingest-streams", admin,
                     json::object{{"name", "usage"},
                                  {"schema", {{"type", "object"}, {"properties", properties}}},
                                  {"id_field", "event_id"},
                                  {"time_field", "occurred_at"}});
  REQUIRE(made.status == 201);
  CHECK_THAT(std::string(made.json().at("target").as_string()), Catch::Contains(":********@"));
  // host-b knows the stream at once: it reads the shared store.
  CHECK(b.get("/v1/ingest-streams/usage", admin).status == 200);

  json::array batch;
  for (int i = 1; i <= 500; ++i) {
    batch.push_back(json::object{{"event_id", "e-" + std::to_string(i)}, {"occurred_at", "2026-12-07T10:00:00Z"},
                                 {"units", i}});
  }
  const std::string body = json::serialize(batch);
  HttpAnswer answer_a, answer_b;
  std::atomic<int> ready{0};
  auto post = [&](Daemon& host, HttpAnswer& answer) {
    ++ready;
    while (ready < 2) std::this_thread::yield();
    answer = host.request("POST", "/v1/ingest/usage", key, body, {}, false);
  };
  std::thread ta(post, std::ref(a), std::ref(answer_a));
  std::thread tb(post, std::ref(b), std::ref(answer_b));
  ta.join();
  tb.join();
  REQUIRE(answer_a.status == 200);
  REQUIRE(answer_b.status == 200);
  const json::value outcome_a = answer_a.json(), outcome_b = answer_b.json();
  CHECK(outcome_a.at("accepted").as_int64() + outcome_b.at("accepted").as_int64() == 500);
  CHECK(outcome_a.at("duplicate").as_int64() + outcome_b.at("duplicate").as_int64() == 500);
  CHECK(events->value("SELECT COUNT(*) FROM usage") == "500");
  CHECK(events->value("SELECT COUNT(DISTINCT event_id) FROM usage") == "500");

  // Later, through host-b: e-1 again is a duplicate with the time its first
  // copy arrived, whichever host took it.
  auto late = b.request("POST", "/v1/ingest/usage", key,
                        R"({"event_id": "e-1", "occurred_at": "2026-12-07T10:00:00Z", "units": 9})");
  REQUIRE(late.status == 200);
  const json::value again = late.json();
  const auto& first = again.at("events").as_array()[0];
  CHECK(first.at("status") == "duplicate");
  const std::string first_request(
      events->value("SELECT _sluice_sync_id FROM usage WHERE event_id = 'e-1'"));
  const json::value& winner = first_request == std::string(outcome_a.at("request_id").as_string()) ? outcome_a : outcome_b;
  CHECK(first.at("first_received_at") == winner.at("received_at"));
  CHECK(events->value("SELECT units FROM usage WHERE event_id = 'e-1'") == "1");
}
