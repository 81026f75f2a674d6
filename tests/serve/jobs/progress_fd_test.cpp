// `sluice sync --progress-fd N`: the events a daemon reads, checked by
// reading the pipe the way it does (fd 3 of the child).
#include "host/serve/jobs/progress_event.hpp"
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace sluice::test;
using sluice::host::serve::ProgressEvent;
using Kind = ProgressEvent::Kind;

namespace {

struct PipeRun {
  int exit_code = -1;
  std::vector<std::string> lines;  // as written on fd 3
  std::vector<ProgressEvent> events;
  std::string err;

  std::vector<ProgressEvent> of(Kind kind) const {
    std::vector<ProgressEvent> out;
    for (const auto& e : events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
};

// Runs `sluice ARGS` in `dir` with a pipe on fd 3 and its stderr in a file;
// reads the pipe to its end (or, with `hang_up_after`, closes it after the
// first line containing that text), then reaps the child.
PipeRun run_with_pipe(const std::vector<std::string>& args, const TempDir& dir,
                      const std::string& hang_up_after = "") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  std::vector<std::string> argv_text{SLUICE_CLI_PATH};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err_file = dir.file("stderr.txt");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, dir.path().c_str());
  pid_t pid = -1;
  REQUIRE(::posix_spawn(&pid, SLUICE_CLI_PATH, &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<size_t>(n));
    if (!hang_up_after.empty() && text.find(hang_up_after) != std::string::npos) {
      text.erase(text.rfind('\n') + 1);  // whole lines only
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  PipeRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = read_file(err_file);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);  // every event ends its line
    run.lines.push_back(text.substr(start, end - start));
    auto event = sluice::host::serve::parse_progress_event(run.lines.back());
    INFO(run.lines.back());
    REQUIRE(event);
    run.events.push_back(*event);
    start = end + 1;
  }
  return run;
}

std::vector<std::string> sync_args(const SyncFixture& f) {
  return {"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR, "--progress-fd", "3"};
}

}  // namespace

TEST_CASE("sync --progress-fd writes stream, progress, checkpoint and done events as JSON lines") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 5))},
                   {mode("items", "incremental_append")});
  auto run = run_with_pipe(sync_args(f), f.dir);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  REQUIRE(run.events.size() >= 6);
  CHECK(run.events.front().kind == Kind::stream_started);
  CHECK(run.events.front().stream == "items");
  CHECK(run.events.front().table == "items");
  CHECK(run.events.front().mode == "incremental_append");
  CHECK_FALSE(run.events.front().at.empty());

  auto progress = run.of(Kind::progress);
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.front().records == 2);  // the first batch always
  CHECK(progress.front().bytes > 50);    // two records of NDJSON
  // Batches of 2 each followed by a checkpoint: 2, 4, then 5 committed.
  std::vector<uint64_t> committed;
  for (const auto& e : run.of(Kind::checkpoint)) committed.push_back(e.records);
  CHECK(committed == std::vector<uint64_t>{2, 4, 5});

  auto stream_done = run.of(Kind::stream_done);
  REQUIRE(stream_done.size() == 1);
  CHECK(stream_done[0].status == "succeeded");
  CHECK(stream_done[0].records == 5);
  CHECK(stream_done[0].bytes > progress.front().bytes);  // all five records, whatever the throttle skipped
  CHECK(stream_done[0].error_kind.empty());

  const auto& done = run.events.back();
  CHECK(done.kind == Kind::sync_done);
  CHECK(done.status == "succeeded");
  CHECK(done.exit_code == 0);
  CHECK(done.failure.empty());
  CHECK(done.sync_id == f.value("SELECT sync_id FROM _sluice_syncs"));
  CHECK(f.count("items") == 5);
}

TEST_CASE("a failed stream's events carry its error kind, and sync_done the exit code, class and first error") {
  SyncFixture f;
  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 9));
  failing["fail_after_batches"] = 2;
  f.write_scripted({failing}, {mode("items", "incremental_append")});
  auto run = run_with_pipe(sync_args(f), f.dir);
  CHECK(run.exit_code == 1);
  auto stream_done = run.of(Kind::stream_done);
  REQUIRE(stream_done.size() == 1);
  CHECK(stream_done[0].status == "failed");
  CHECK(stream_done[0].error_kind == "source");
  CHECK(stream_done[0].records == 4);
  CHECK(stream_done[0].error == "scripted read: scripted failure after 2 batches");
  const auto& done = run.events.back();
  REQUIRE(done.kind == Kind::sync_done);
  CHECK(done.status == "failed");
  CHECK(done.exit_code == 1);
  CHECK(done.failure == "stream");
  CHECK(done.error_kind == "source");
  CHECK(done.message == "stream items failed: scripted read: scripted failure after 2 batches");
}

TEST_CASE("a sync that fails before any stream starts still ends its events with sync_done") {
  SyncFixture f;
  f.write_connection({{"source", {{"plugin", "no_such_plugin"}, {"config", json::object{}}}},
                      {"target", "sqlite://" + f.db}});
  auto run = run_with_pipe(sync_args(f), f.dir);
  CHECK(run.exit_code == 3);
  REQUIRE(run.events.size() == 1);
  const auto& done = run.events.back();
  CHECK(done.kind == Kind::sync_done);
  CHECK(done.status == "failed");
  CHECK(done.exit_code == 3);
  CHECK(done.failure == "plugin_load");
  CHECK_THAT(done.message, Catch::Contains("no_such_plugin"));
  CHECK_THAT(run.err, Catch::Contains("error: " + done.message));
}

TEST_CASE("sync refuses a --progress-fd number that is not a descriptor open for writing") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 1))});
  auto standard = f.sync({"--progress-fd", "1"});
  CHECK(standard.exit_code == 2);
  CHECK(standard.err == "error: --progress-fd: expected a descriptor number from 3 to 1023, got \"1\"\n");
  auto closed = f.sync({"--progress-fd", "57"});
  CHECK(closed.exit_code == 2);
  CHECK(closed.err == "error: --progress-fd 57: not a descriptor open for writing\n");
}

TEST_CASE("a sync whose reader goes away (its daemon died) stops at its last checkpoint instead of running on") {
  SyncFixture f;
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["pause_after_batches"] = 1;  // until cancelled
  stream["resume_file"] = f.dir.file("never");
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = run_with_pipe(sync_args(f), f.dir, "\"event\":\"checkpoint\"");
  INFO(run.err);
  CHECK(run.exit_code == 130);
  CHECK(run.of(Kind::checkpoint).size() == 1);
  CHECK(f.count("items") == 2);
  CHECK(f.value("SELECT status FROM _sluice_syncs") == "cancelled");
}

TEST_CASE("a line that is not a known event is skipped by the reader, not an error") {
  using sluice::host::serve::parse_progress_event;
  CHECK_FALSE(parse_progress_event("not json"));
  CHECK_FALSE(parse_progress_event("[1,2]"));
  CHECK_FALSE(parse_progress_event(R"({"event":"from_a_newer_child","stream":"s"})"));
  auto event = parse_progress_event(R"({"event":"checkpoint","at":"2026-12-07T01:00:00Z","stream":"s","records":7})");
  REQUIRE(event);
  CHECK(event->kind == Kind::checkpoint);
  CHECK(event->stream == "s");
  CHECK(event->records == 7);
}
