// The daemon's scheduler against the running daemon: due schedules start
// jobs and not-yet-due ones do not, a window missed while the daemon was
// down gives one run, the per-plugin limit holds, transient failures are
// retried with backoff and config failures are not, and a run timeout from
// serve.json fails a hung run.
//
// Time: the daemon reads its scheduler clock from scheduler.clock_file
// (whole seconds), which each test moves. Nothing waits for time to pass:
// after moving the clock a test waits until /metrics says a scheduler pass
// has run at that time (sluice_scheduler_clock_seconds), then looks at the
// jobs that pass made or did not make.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "serve/daemon_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

constexpr int64_t kT0 = 1798761600;  // 2027-01-01T00:00:00Z, on every interval's grid


struct Clocked {
  TempDir dir;
  std::string clock;
  Daemon daemon;
  std::string admin;

  explicit Clocked(json::object settings = {})
      : clock(dir.file("clock")), daemon(dir.path(), with_clock(std::move(settings), dir.file("clock"))) {
    set_clock(kT0);
    admin = daemon.create_key("admin");
    daemon.start();
    passed(kT0);
  }
  static json::object with_clock(json::object settings, const std::string& clock) {
    settings["scheduler"] = json::object{{"clock_file", clock}, {"tick_ms", 20}};
    return settings;
  }
  // Written whole, then renamed: the daemon never reads half a number.
  void set_clock(int64_t unix_seconds) {
    std::ofstream(clock + ".new") << unix_seconds;
    std::filesystem::rename(clock + ".new", clock);
  }
  // Moves the clock and waits for a whole scheduler pass at that time.
  void at(int64_t unix_seconds) {
    set_clock(unix_seconds);
    passed(unix_seconds);
  }
  void passed(int64_t unix_seconds) {
    eventually([&] { return daemon.metric("sluice_scheduler_clock_seconds", admin) == double(unix_seconds); },
               "a scheduler pass ran at " + std::to_string(unix_seconds));
  }
  // Two more passes after every job has ended: whatever they would queue is there.
  void settle() {
    const double passes = daemon.metric("sluice_scheduler_passes_total", admin);
    eventually([&] { return daemon.metric("sluice_scheduler_passes_total", admin) >= passes + 2; },
               "two more scheduler passes");
  }
  std::string create(const json::object& body) {
    auto made = daemon.post("/v1/connections", admin, body);
    INFO(made.body);
    REQUIRE(made.status == 201);
    return std::string(made.json().at("id").as_string());
  }
  // The connection's syncs, oldest first.
  json::array syncs(const std::string& connection) {
    auto list = daemon.get("/v1/connections/" + connection + "/syncs?limit=100", admin).json().at("syncs").as_array();
    std::reverse(list.begin(), list.end());
    return list;
  }
  json::object finished(const json::value& sync) {
    const std::string id(sync.at("id").as_string());
    auto answer = daemon.get("/v1/syncs/" + id + "?wait_seconds=30", admin).json().as_object();
    INFO(json::serialize(answer));
    REQUIRE(answer.at("status") != "queued");
    REQUIRE(answer.at("status") != "running");
    return answer;
  }
  // The n-th sync of the connection (1-based), once it exists and has ended.
  json::object nth_finished(const std::string& connection, size_t n) {
    eventually([&] { return syncs(connection).size() >= n; }, "sync " + std::to_string(n) + " is queued");
    return finished(syncs(connection)[n - 1]);
  }
};

// The scripted test plugin (tests/sync/scripted_plugin.cpp): ten records
// in batches of two; `script` adds to the stream's script (fail_after_batches,
// fail_kind, pause_after_batches, resume_file).
json::object scripted(const std::string& name, const std::filesystem::path& dir, json::object script = {},
                      json::object schedule = {}) {
  json::array records;
  for (int i = 1; i <= 10; ++i) records.push_back(json::object{{"id", i}, {"ts", "2026-01-01T00:00:0" + std::to_string(i % 10) + "Z"},
                                   {"v", "r" + std::to_string(i)}});
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
  for (const auto& kv : script) stream[kv.key()] = kv.value();
  json::object file{{"source", {{"plugin", "scripted"}, {"config", {{"streams", json::array{stream}}}}}},
                    {"target", "sqlite://" + (dir / (name + ".db")).string()},
                    {"streams", json::array{json::object{{"name", "items"}, {"mode", "incremental_append"}}}}};
  return {{"name", name}, {"connection", file}, {"schedule", schedule}};
}

}  // namespace

TEST_CASE("a scheduled connection gets a job when it is due and not a second before, and one job per due time") {
  Clocked f;
  auto body = synthetic_connection("hourly", f.dir.path());
  body["schedule"] = json::object{{"interval_seconds", 3600}};
  const std::string connection = f.create(body);
  f.at(kT0 + 3599);
  CHECK(f.syncs(connection).empty());
  f.at(kT0 + 3600);
  auto first = f.nth_finished(connection, 1);
  CHECK(first.at("trigger") == "schedule");
  CHECK(first.at("attempt") == 1);
  CHECK(first.at("status") == "succeeded");
  CHECK(first.at("due_at") == "2027-01-01T01:00:00Z");  // kT0 + 3600: the scheduling delay's start
  CHECK(sqlite_value(f.dir.file("hourly.db"), "SELECT COUNT(*) FROM usage_events") == "20");
  f.settle();
  CHECK(f.syncs(connection).size() == 1);
  // The next window.
  f.at(kT0 + 7199);
  CHECK(f.syncs(connection).size() == 1);
  f.at(kT0 + 7200);
  CHECK(f.nth_finished(connection, 2).at("trigger") == "schedule");
  // A connection without a schedule never gets a job by itself.
  const std::string manual = f.create(synthetic_connection("manual", f.dir.path()));
  f.at(kT0 + 30 * 86400);
  f.settle();
  CHECK(f.syncs(manual).empty());
}

TEST_CASE("windows missed while the daemon was down give one run at the next start, never a backlog") {
  Clocked f;
  auto body = synthetic_connection("missed", f.dir.path());
  body["schedule"] = json::object{{"cron", "0 * * * *"}};
  const std::string connection = f.create(body);
  f.at(kT0 + 3600);
  CHECK(f.nth_finished(connection, 1).at("status") == "succeeded");
  f.daemon.stop();
  // Down for nine more hours: nine due times pass.
  f.set_clock(kT0 + 10 * 3600 + 5);
  f.daemon.start();
  f.passed(kT0 + 10 * 3600 + 5);
  auto second = f.nth_finished(connection, 2);
  CHECK(second.at("trigger") == "schedule");
  CHECK(second.at("status") == "succeeded");
  f.settle();
  CHECK(f.syncs(connection).size() == 2);
  // The first missed due time, and the eight after it folded in.
  CHECK_THAT(f.daemon.log(), Catch::Contains("due at 2027-01-01T02:00:00Z (later missed runs folded into this one)"));
  // The next one is the next hour after the restart, not one of the missed.
  f.at(kT0 + 11 * 3600 - 1);
  CHECK(f.syncs(connection).size() == 2);
  f.at(kT0 + 11 * 3600);
  CHECK(f.nth_finished(connection, 3).at("trigger") == "schedule");
}

TEST_CASE("the per-plugin limit holds a second run of a plugin while other plugins still start") {
  Clocked f({{"max_concurrent_syncs", 4}, {"plugin_limits", {{"scripted", 1}}}});
  const std::string resume = f.dir.file("resume");
  const std::string held = f.create(
      scripted("held", f.dir.path(), {{"pause_after_batches", 1}, {"resume_file", resume}}));
  const std::string waiting = f.create(scripted("waiting", f.dir.path()));
  const std::string other = f.create(synthetic_connection("other", f.dir.path()));
  auto trigger = [&](const std::string& connection) {
    auto answer = f.daemon.post("/v1/connections/" + connection + "/syncs", f.admin, json::object{});
    REQUIRE(answer.status == 201);
    return answer.json();
  };
  const auto first = trigger(held);
  eventually([&] { return sqlite_value(f.dir.file("held.db"), "SELECT COUNT(*) FROM items") == "2"; },
             "the held sync has committed its first checkpoint");
  const auto second = trigger(waiting);
  const auto third = trigger(other);
  CHECK(f.finished(third).at("status") == "succeeded");
  f.settle();
  auto status = f.daemon.get("/v1/syncs/" + std::string(second.at("id").as_string()), f.admin).json();
  CHECK(status.at("status") == "queued");
  CHECK(f.daemon.metric("sluice_running_children", f.admin) == 1);
  std::ofstream(resume) << "go";
  auto held_end = f.finished(first);
  CHECK(held_end.at("status") == "succeeded");
  auto waited = f.finished(second);
  CHECK(waited.at("status") == "succeeded");
  CHECK(sqlite_value(f.dir.file("waiting.db"), "SELECT COUNT(*) FROM items") == "10");
}

TEST_CASE("a transient failure is retried with exponential backoff up to max_retries and a config failure is not retried") {
  Clocked f({{"retry", {{"max_retries", 2}, {"initial_seconds", 30}, {"factor", 2}}}});
  const std::string flaky =
      f.create(scripted("flaky", f.dir.path(), {{"fail_after_batches", 1}, {"fail_kind", "transient"}}));
  const std::string wrong =
      f.create(scripted("wrong", f.dir.path(), {{"fail_after_batches", 1}, {"fail_kind", "config"}}));
  for (const auto& connection : {flaky, wrong}) {
    REQUIRE(f.daemon.post("/v1/connections/" + connection + "/syncs", f.admin, json::object{}).status == 201);
  }
  auto failed = f.nth_finished(flaky, 1);
  CHECK(failed.at("status") == "failed");
  CHECK(failed.at("error_kind") == "transient");
  CHECK(failed.at("due_at").is_null());  // triggered through the API, never due
  CHECK(f.nth_finished(wrong, 1).at("status") == "failed");
  CHECK(f.nth_finished(wrong, 1).at("error_kind") == "config");
  // First retry 30 s after the failure.
  f.at(kT0 + 29);
  CHECK(f.syncs(flaky).size() == 1);
  f.at(kT0 + 30);
  auto retry1 = f.nth_finished(flaky, 2);
  CHECK(retry1.at("trigger") == "retry");
  CHECK(retry1.at("attempt") == 2);
  CHECK(retry1.at("status") == "failed");
  CHECK(retry1.at("due_at") == "2027-01-01T00:00:30Z");
  // The second 60 s after that.
  f.at(kT0 + 30 + 59);
  CHECK(f.syncs(flaky).size() == 2);
  f.at(kT0 + 30 + 60);
  auto retry2 = f.nth_finished(flaky, 3);
  CHECK(retry2.at("trigger") == "retry");
  CHECK(retry2.at("attempt") == 3);
  // max_retries spent; and a config failure is never tried again.
  f.at(kT0 + 86400);
  f.settle();
  CHECK(f.syncs(flaky).size() == 3);
  CHECK(f.syncs(wrong).size() == 1);
  CHECK_THAT(f.daemon.log(), Catch::Contains("retry 1 of " + std::string(failed.at("id").as_string()) +
                                             ", due at 2027-01-01T00:00:30Z"));
}

TEST_CASE("run_timeout_seconds and memory_limit_mb from serve.json fail a hung and a hungry run with one line naming the plugin and the limit") {
  // Under ASan or TSan the child reserves terabytes of shadow address space
  // before main(), so no address-space limit lets any child start (as in
  // tests/serve/jobs/child_run_test.cpp): the sanitizer passes test the
  // timeout alone.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // 3 s: the hungry run must reach the memory limit before the run timeout,
  // and filling its ~360 MB took 1.0 s on a 2-core VM (page faults).
  const std::string timeout = "3s";
  Clocked f({{"run_timeout_seconds", 3}, {"memory_limit_mb", 512}});
#else
  const std::string timeout = "1s";
  Clocked f({{"run_timeout_seconds", 1}});
#endif
  const std::string hung = f.create(scripted("hung", f.dir.path(), {{"pause_after_batches", 1}, {"resume_file", f.dir.file("never")}}));
  REQUIRE(f.daemon.post("/v1/connections/" + hung + "/syncs", f.admin, json::object{}).status == 201);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  const std::string hungry =
      f.create(scripted("hungry", f.dir.path(), {{"allocate_mb_after_batches", 1}, {"allocate_mb", 4096}}));
  REQUIRE(f.daemon.post("/v1/connections/" + hungry + "/syncs", f.admin, json::object{}).status == 201);
  auto oom = f.nth_finished(hungry, 1);
  INFO(json::serialize(oom));
  CHECK(oom.at("status") == "failed");
  CHECK(oom.at("error") == "plugin scripted ran out of memory in stream items: over the memory limit of 512 MiB");
#endif
  auto ended = f.nth_finished(hung, 1);
  INFO(json::serialize(ended));
  CHECK(ended.at("status") == "failed");
  CHECK_THAT(std::string(ended.at("error").as_string()),
             Catch::StartsWith("plugin scripted timed out in stream items after the run timeout of " + timeout));
  CHECK(sqlite_value(f.dir.file("hung.db"), "SELECT COUNT(*) FROM items") == "2");
}

TEST_CASE("scheduler, limit, lease and retry settings in serve.json are checked with one line per problem") {
  TempDir dir;
  const std::string config = dir.write("serve.json", R"({"run_timeout_seconds": -1, "memory_limit_mb": 100,
      "lease_seconds": 1, "plugin_limits": {"snowflake": 0}, "max_concurrent_per_plugin": "two",
      "retry": {"factor": 0.5, "initial_seconds": 60, "cap_seconds": 30, "jitter": 1},
      "scheduler": {"tick_ms": 0}})");
  ProcessOptions options;
  options.working_dir = dir.path().string();
  auto run = run_sluice({"serve", "--config", config}, options);
  CHECK(run.exit_code == 2);
  const std::string e = "error: " + config + ": ";
  CHECK(run.err == e + "max_concurrent_per_plugin: expected an integer from 1 to 1024\n" + e +
                       "plugin_limits.snowflake: expected an integer from 1 to 1024\n" + e +
                       "run_timeout_seconds: expected an integer from 0 to 2592000\n" + e +
                       "memory_limit_mb: expected 0 (no limit) or an integer from 512 to 4194304 (MiB of address "
                       "space)\n" +
                       e + "lease_seconds: expected an integer from 2 to 3600\n" + e + "retry.jitter: unknown setting\n" +
                       e + "retry.factor: expected a number from 1 to 10\n" + e +
                       "retry.cap_seconds: must be at least retry.initial_seconds\n" + e +
                       "scheduler.tick_ms: expected an integer from 10 to 60000\n");
}
