// Syncs through the daemon, each in its own child process: trigger with an
// Idempotency-Key, status by long polling, history with filters and pages,
// log lines with secrets masked, cancel, a crashing plugin, state read and
// reset, and SIGTERM with a sync running. Waits are for observable events
// (a sync's end through ?wait_seconds, rows committed), bounded only as a
// failure guard.
#include "common/sqlite_reader.hpp"
#include "serve/daemon_fixture.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

struct Fixture {
  TempDir dir;
  Daemon daemon;
  std::string admin, operator_;
  explicit Fixture(json::object settings = {}) : daemon(dir.path(), std::move(settings)) {
    admin = daemon.create_key("admin");
    operator_ = daemon.create_key("operator");
    daemon.start();
  }
  std::string create(const json::object& body) {
    auto made = daemon.post("/v1/connections", admin, body);
    REQUIRE(made.status == 201);
    return std::string(made.json().at("id").as_string());
  }
  json::object trigger(const std::string& connection, const std::string& idempotency_key = "", int expect = 201) {
    std::map<std::string, std::string> headers;
    if (!idempotency_key.empty()) headers["Idempotency-Key"] = idempotency_key;
    auto answer = daemon.request("POST", "/v1/connections/" + connection + "/syncs", operator_, "", headers);
    INFO(answer.body);
    REQUIRE(answer.status == expect);
    return answer.json().as_object();
  }
  // The sync once it has ended (long polling).
  json::object finished(const std::string& sync_id) {
    auto answer = daemon.get("/v1/syncs/" + sync_id + "?wait_seconds=30", operator_);
    REQUIRE(answer.status == 200);
    auto sync = answer.json().as_object();
    INFO(answer.body);
    REQUIRE(sync.at("status") != "queued");
    REQUIRE(sync.at("status") != "running");
    return sync;
  }
  std::string id_of(const json::object& sync) { return std::string(sync.at("id").as_string()); }

  // A scripted connection named `name` whose sync is triggered and held
  // after its first checkpoint (2 rows committed) until `resume` is touched.
  struct Held {
    std::string connection, sync, resume, db;
  };
  Held hold(const std::string& name);
};


// The scripted test plugin (tests/sync/scripted_plugin.cpp): ten records in
// batches of two, optionally pausing after the first checkpoint until
// `resume_file` exists, and logging its secret token when asked.
json::object scripted_connection(const std::string& name, const std::filesystem::path& dir,
                                 const std::string& resume_file = "", bool log_token = false) {
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
                      {"batch_size", 2}};
  if (!resume_file.empty()) {
    stream["pause_after_batches"] = 1;
    stream["resume_file"] = resume_file;
  }
  json::object config{{"streams", json::array{stream}}, {"token", "tok-9f8e7d-secret"}, {"log_token", log_token}};
  json::object file{{"source", {{"plugin", "scripted"}, {"config", config}}},
                    {"target", "sqlite://" + (dir / (name + ".db")).string()},
                    {"streams", json::array{json::object{{"name", "items"}, {"mode", "incremental_append"}}}}};
  return {{"name", name}, {"connection", file}};
}

Fixture::Held Fixture::hold(const std::string& name) {
  Held held;
  held.resume = dir.file("resume");
  held.db = dir.file(name + ".db");
  held.connection = create(scripted_connection(name, dir.path(), held.resume));
  held.sync = id_of(trigger(held.connection));
  eventually([&] { return sqlite_value(held.db, "SELECT COUNT(*) FROM items") == "2"; },
             "the sync has committed its first checkpoint");
  return held;
}

}  // namespace

TEST_CASE("a triggered sync runs in a child and lands its rows and a retried trigger with the same Idempotency-Key gets the same sync") {
  Fixture f;
  const std::string connection = f.create(synthetic_connection("usage", f.dir.path()));
  auto first = f.trigger(connection, "deploy-42");
  CHECK(first.at("status") == "queued");
  CHECK(first.at("trigger") == "api");
  CHECK(first.at("idempotency_key") == "deploy-42");
  auto again = f.trigger(connection, "deploy-42", 200);
  CHECK(again.at("id") == first.at("id"));

  auto sync = f.finished(f.id_of(first));
  CHECK(sync.at("status") == "succeeded");
  CHECK(sync.at("exit_code") == 0);
  CHECK(sync.at("error") == nullptr);
  const std::string db = (f.dir.path() / "usage.db").string();
  const std::string events = sqlite_value(db, "SELECT COUNT(*) FROM usage_events");
  CHECK(events == "20");
  CHECK(sync.at("records").as_int64() >= 20);
  CHECK(sync.at("streams").as_array().size() >= 2);
  // Only one sync ran: the retry made none.
  auto list = f.daemon.get("/v1/connections/" + connection + "/syncs", f.operator_);
  CHECK(list.json().at("syncs").as_array().size() == 1);
  // Its log (the child's stderr) is kept, and metrics count it.
  auto logs = f.daemon.get("/v1/syncs/" + f.id_of(first) + "/logs", f.operator_);
  REQUIRE(logs.status == 200);
  CHECK_FALSE(logs.json().at("lines").as_array().empty());
  auto metrics = f.daemon.get("/metrics", f.operator_).body;
  CHECK_THAT(metrics, Catch::Contains("sluice_syncs_finished_total{status=\"succeeded\"} 1"));
  CHECK_THAT(metrics, Catch::Contains("sluice_syncs{status=\"succeeded\"} 1"));
  CHECK_THAT(metrics, Catch::Contains("sluice_sync_duration_seconds_count 1"));
}

TEST_CASE("the sync list filters by connection and status and pages newest first with a token") {
  Fixture f;
  const std::string a = f.create(synthetic_connection("a", f.dir.path()));
  const std::string b = f.create(synthetic_connection("b", f.dir.path()));
  std::vector<std::string> of_a;
  for (int i = 0; i < 3; ++i) of_a.push_back(f.id_of(f.finished(f.id_of(f.trigger(a)))));
  f.finished(f.id_of(f.trigger(b)));

  auto page1 = f.daemon.get("/v1/syncs?connection_id=" + a + "&limit=2", f.operator_).json().as_object();
  REQUIRE(page1.at("syncs").as_array().size() == 2);
  CHECK(page1.at("syncs").as_array()[0].at("id") == json::value(of_a[2]));
  CHECK(page1.at("syncs").as_array()[1].at("id") == json::value(of_a[1]));
  REQUIRE(page1.at("next_page_token").is_string());
  auto page2 = f.daemon
                   .get("/v1/syncs?connection_id=" + a + "&limit=2&page_token=" +
                            std::string(page1.at("next_page_token").as_string()),
                        f.operator_)
                   .json()
                   .as_object();
  REQUIRE(page2.at("syncs").as_array().size() == 1);
  CHECK(page2.at("syncs").as_array()[0].at("id") == json::value(of_a[0]));
  CHECK(page2.at("next_page_token") == nullptr);

  CHECK(f.daemon.get("/v1/syncs?status=succeeded", f.operator_).json().at("syncs").as_array().size() == 4);
  CHECK(f.daemon.get("/v1/syncs?status=failed", f.operator_).json().at("syncs").as_array().empty());
  auto bad = f.daemon.get("/v1/syncs?status=done", f.operator_);
  CHECK(bad.status == 400);
  CHECK(bad.json().at("message") == "status: expected queued, running, succeeded, failed, cancelled or interrupted");
  CHECK(f.daemon.get("/v1/syncs?limit=0", f.operator_).status == 400);
  CHECK(f.daemon.get("/v1/syncs/nosuch", f.operator_).status == 404);
}

TEST_CASE("a plugin that logs its secret: the job's log lines and answers and metrics show only the mask") {
  Fixture f;
  const std::string connection = f.create(scripted_connection("leaky", f.dir.path(), "", true));
  auto sync = f.finished(f.id_of(f.trigger(connection)));
  CHECK(sync.at("status") == "succeeded");
  auto logs = f.daemon.get("/v1/syncs/" + f.id_of(sync) + "/logs", f.operator_);
  INFO(logs.body);
  CHECK(logs.body.find("tok-9f8e7d-secret") == std::string::npos);
  CHECK(logs.body.find("********") != std::string::npos);
  CHECK(f.daemon.get("/v1/connections/" + connection, f.operator_).body.find("tok-9f8e7d-secret") ==
        std::string::npos);
  CHECK(f.daemon.get("/metrics", f.operator_).body.find("tok-9f8e7d-secret") == std::string::npos);
  CHECK(f.daemon.log().find("tok-9f8e7d-secret") == std::string::npos);
  CHECK(read_file(f.dir.path() / "sluice-server.db").find("tok-9f8e7d-secret") == std::string::npos);
}

TEST_CASE("a plugin that segfaults fails only its own sync with one line naming it and the daemon keeps serving") {
  Fixture f;
  json::object crash{{"name", "crashy"},
                     {"connection", {{"source", {{"plugin", "misbehaving"}, {"config", {{"in", "read"}, {"do", "segfault"}}}}},
                                     {"target", "sqlite://" + f.dir.file("crashy.db")}}}};
  const std::string crashy = f.create(crash);
  const std::string fine = f.create(synthetic_connection("fine", f.dir.path()));
  auto crashed = f.finished(f.id_of(f.trigger(crashy)));
  CHECK(crashed.at("status") == "failed");
  INFO(json::serialize(crashed));
  CHECK_THAT(std::string(crashed.at("error").as_string()), Catch::Contains("misbehaving"));
  CHECK_THAT(std::string(crashed.at("error").as_string()), Catch::Contains("SIGSEGV"));
  CHECK(f.daemon.get("/healthz", "").status == 200);
  CHECK(f.finished(f.id_of(f.trigger(fine))).at("status") == "succeeded");
}

TEST_CASE("cancel: a running sync stops at its last checkpoint (cancelled with exit 130) and a finished one is 409") {
  Fixture f;
  const auto held = f.hold("held");
  const std::string& db = held.db;
  json::object sync{{"id", held.sync}};
  auto cancelling = f.daemon.post("/v1/syncs/" + f.id_of(sync) + "/cancel", f.operator_, json::object{});
  CHECK(cancelling.status == 202);
  CHECK(cancelling.json().at("cancel_requested") == true);
  auto ended = f.finished(f.id_of(sync));
  CHECK(ended.at("status") == "cancelled");
  CHECK(ended.at("exit_code") == 130);
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM items") == "2");
  auto again = f.daemon.post("/v1/syncs/" + f.id_of(sync) + "/cancel", f.operator_, json::object{});
  CHECK(again.status == 409);
  CHECK(again.json().at("code") == "sync_finished");
  // A viewer may not cancel.
  CHECK(f.daemon.post("/v1/syncs/" + f.id_of(sync) + "/cancel", f.daemon.create_key("viewer"), json::object{}).status ==
        403);
}

TEST_CASE("while a sync runs, its connection's secret is in no file of the daemon's folder and in no argument or environment of the child") {
  Fixture f;
  const auto held = f.hold("private");  // running, paused after its first checkpoint
  for (const auto& entry : std::filesystem::recursive_directory_iterator(f.dir.path())) {
    if (!entry.is_regular_file()) continue;
    INFO(entry.path().string());
    CHECK(read_file(entry.path()).find("tok-9f8e7d-secret") == std::string::npos);
  }
  // The child: the process whose working directory is under the daemon's
  // folder (its job folder) and that runs `sync -`.
  int children = 0;
  for (const auto& proc : std::filesystem::directory_iterator("/proc")) {
    std::error_code ec;
    const auto cwd = std::filesystem::read_symlink(proc.path() / "cwd", ec);
    if (ec || cwd.string().rfind(f.dir.path().string(), 0) != 0) continue;
    const std::string cmdline = read_file(proc.path() / "cmdline");
    if (cmdline.find(std::string("sync\0-\0", 7)) == std::string::npos) continue;
    ++children;
    CHECK(cmdline.find("tok-9f8e7d-secret") == std::string::npos);
    CHECK(read_file(proc.path() / "environ").find("tok-9f8e7d-secret") == std::string::npos);
  }
  CHECK(children == 1);
  std::ofstream(held.resume) << "go";
  CHECK(f.finished(held.sync).at("status") == "succeeded");
}

TEST_CASE("a running sync's status shows its live per-stream progress from the child's progress pipe") {
  Fixture f;
  const auto held = f.hold("live");
  // The child is paused after its first checkpoint (2 rows committed); the
  // checkpoint's progress event reaches the daemon on the progress pipe.
  json::object sync;
  eventually(
      [&] {
        sync = f.daemon.get("/v1/syncs/" + held.sync, f.operator_).json().as_object();
        const auto& streams = sync.at("streams").as_array();
        return streams.size() == 1 && streams[0].at("records") == 2;
      },
      "the running sync's status shows the first checkpoint");
  INFO(json::serialize(sync));
  CHECK(sync.at("status") == "running");
  CHECK(sync.at("records") == 2);
  CHECK(sync.at("bytes").as_int64() > 0);
  const auto& items = sync.at("streams").as_array()[0].as_object();
  CHECK(items.at("stream") == "items");
  CHECK(items.at("status") == "running");
  CHECK(items.at("mode") == "incremental_append");
  CHECK(items.at("records_received").as_int64() >= 2);
  // The list shows the same live view.
  auto listed = f.daemon.get("/v1/syncs?status=running", f.operator_).json().at("syncs").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("streams").as_array()[0].at("records") == 2);
  std::ofstream(held.resume) << "go";
  auto ended = f.finished(held.sync);
  INFO(json::serialize(ended));
  CHECK(ended.at("status") == "succeeded");
  CHECK(ended.at("records") == 10);
  CHECK(ended.at("streams").as_array()[0].at("status") == "succeeded");
  CHECK(ended.at("streams").as_array()[0].at("records") == 10);
}

TEST_CASE("one connection never runs twice at once and a queued sync cancels at once") {
  Fixture f;
  const auto held = f.hold("one");
  const std::string &connection = held.connection, &db = held.db, &resume = held.resume;
  json::object running{{"id", held.sync}};
  auto queued = f.trigger(connection);
  auto status = f.daemon.get("/v1/syncs/" + f.id_of(queued), f.operator_).json();
  CHECK(status.at("status") == "queued");
  CHECK_THAT(f.daemon.get("/metrics", f.operator_).body, Catch::Contains("sluice_queue_depth 1"));
  CHECK_THAT(f.daemon.get("/metrics", f.operator_).body, Catch::Contains("sluice_running_children 1"));
  auto cancelled = f.daemon.post("/v1/syncs/" + f.id_of(queued) + "/cancel", f.operator_, json::object{});
  CHECK(cancelled.status == 202);
  CHECK(cancelled.json().at("status") == "cancelled");
  // Busy connections cannot be deleted.
  auto busy = f.daemon.request("DELETE", "/v1/connections/" + connection, f.admin);
  CHECK(busy.status == 409);
  CHECK(busy.json().at("code") == "connection_busy");
  std::ofstream(resume) << "go";
  CHECK(f.finished(f.id_of(running)).at("status") == "succeeded");
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM items") == "10");
}

TEST_CASE("state: read per stream from the target and reset one stream (operator) with 404 when none is saved") {
  Fixture f;
  const std::string connection = f.create(scripted_connection("stateful", f.dir.path()));
  CHECK(f.daemon.get("/v1/connections/" + connection + "/state", f.operator_).json().at("streams").as_array().empty());
  f.finished(f.id_of(f.trigger(connection)));
  auto state = f.daemon.get("/v1/connections/" + connection + "/state", f.operator_).json();
  REQUIRE(state.at("streams").as_array().size() == 1);
  CHECK(state.at("streams").as_array()[0].at("stream") == "items");
  CHECK(state.at("streams").as_array()[0].at("state") == json::parse(R"({"offset":10})"));
  auto reset = f.daemon.request("DELETE", "/v1/connections/" + connection + "/state/items", f.operator_);
  CHECK(reset.status == 200);
  CHECK(reset.json() == json::parse(R"({"stream":"items","reset":1})"));
  CHECK(f.daemon.get("/v1/connections/" + connection + "/state", f.operator_).json().at("streams").as_array().empty());
  auto none = f.daemon.request("DELETE", "/v1/connections/" + connection + "/state/items", f.operator_);
  CHECK(none.status == 404);
  CHECK(none.json().at("message") == "no saved state for stream items");
}

TEST_CASE("SIGTERM with a sync running: the child stops at its checkpoint and the job is interrupted and runs again on the next start") {
  Fixture f;
  const auto held = f.hold("resumable");
  const std::string &db = held.db, &resume = held.resume;
  json::object sync{{"id", held.sync}};
  const int status = f.daemon.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM items") == "2");
  const std::string store = (f.dir.path() / "sluice-server.db").string();
  CHECK(sqlite_value(store, "SELECT status FROM sluice_jobs WHERE id = '" + f.id_of(sync) + "'") == "interrupted");
  CHECK(sqlite_value(store, "SELECT COUNT(*) FROM sluice_jobs WHERE status = 'queued' AND trigger_kind = 'resume'") ==
        "1");
  // Next start: the resumed job continues from the checkpoint (offset 2).
  std::ofstream(resume) << "go";
  f.daemon.start();
  const std::string resumed =
      sqlite_value(store, "SELECT id FROM sluice_jobs WHERE trigger_kind = 'resume'");
  auto done = f.finished(resumed);
  CHECK(done.at("status") == "succeeded");
  CHECK(done.at("attempt") == 2);
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM items") == "10");
  CHECK(sqlite_value(db, "SELECT COUNT(DISTINCT id) FROM items") == "10");
}

TEST_CASE("a job left running by a daemon that died is marked interrupted at the next start and runs again") {
  Fixture f({{"host_id", "host-a"}});
  const std::string connection = f.create(scripted_connection("orphaned", f.dir.path()));
  const std::string first = f.id_of(f.finished(f.id_of(f.trigger(connection))));
  f.daemon.stop();
  // As the store looks after a kill -9 in the middle of that sync.
  const std::string store = (f.dir.path() / "sluice-server.db").string();
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(store.c_str(), &handle) == SQLITE_OK);
  const std::string sql = "UPDATE sluice_jobs SET status = 'running', finished_at = NULL WHERE id = '" + first + "'";
  CHECK(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  f.daemon.start();
  auto interrupted = f.daemon.get("/v1/syncs/" + first, f.operator_).json();
  CHECK(interrupted.at("status") == "interrupted");
  CHECK(interrupted.at("error") == "the daemon stopped while the job ran");
  auto resumed = f.daemon.get("/v1/syncs?connection_id=" + connection + "&limit=1", f.operator_).json();
  const auto& latest = resumed.at("syncs").as_array()[0].as_object();
  CHECK(latest.at("trigger") == "resume");
  CHECK(f.finished(std::string(latest.at("id").as_string())).at("status") == "succeeded");
  CHECK_THAT(f.daemon.log(), Catch::Contains("sluice serve: job " + first +
                                              " interrupted: the daemon stopped while it ran; queued again as "));
}
