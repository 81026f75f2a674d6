// A plugin that crashes, aborts or calls exit() inside check, discover or
// read: the host's last line names the plugin, the call and the stream, and
// the exit never looks like success (host/plugin/call_guard.hpp). The
// `misbehaving` test plugin dies in the call its config names.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string connection(const TempDir& dir, const std::string& in, const std::string& what) {
  json::object doc{{"source", {{"plugin", "misbehaving"}, {"config", {{"in", in}, {"do", what}}}}},
                   {"target", "sqlite://" + dir.file("out.db")}};
  return dir.write("conn.json", json::serialize(doc));
}

ProcessResult run(const std::string& command, const std::string& file) {
  return run_sluice({command, file, "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
}

// The last line written to stderr, without its newline ("" if it has none).
std::string last_line(std::string err) {
  if (err.empty() || err.back() != '\n') return "";
  err.pop_back();
  return err.substr(err.rfind('\n') + 1);  // npos + 1 == 0: a single line
}

}  // namespace

TEST_CASE("a plugin that segfaults in read gets one line naming it, the call and the stream, "
          "and the process dies with SIGSEGV") {
  TempDir dir;
  auto result = run("sync", connection(dir, "read", "segfault"));
  INFO(result.all());
  CHECK(result.signal == SIGSEGV);
  CHECK(last_line(result.err) == "error: plugin crashed: misbehaving read (stream usage_events) died with SIGSEGV");
}

TEST_CASE("a plugin that aborts in read gets one line naming it, and the process dies with SIGABRT") {
  TempDir dir;
  auto result = run("sync", connection(dir, "read", "abort"));
  INFO(result.all());
  CHECK(result.signal == SIGABRT);
  CHECK(last_line(result.err) == "error: plugin crashed: misbehaving read (stream usage_events) died with SIGABRT");
}

TEST_CASE("a plugin that calls exit(0) in read makes sync exit 1 naming the plugin and the stream, "
          "and keeps none of its records") {
  TempDir dir;
  auto result = run("sync", connection(dir, "read", "exit"));
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK(last_line(result.err) ==
        "error: plugin exited: misbehaving read (stream usage_events) called exit() instead of returning");
  // Full refresh writes a staging table that is swapped in only at the end.
  const std::string db = dir.file("out.db");
  CHECK((!sqlite_has_table(db, "usage_events") || sqlite_value(db, "SELECT COUNT(*) FROM usage_events") == "0"));
}

TEST_CASE("a plugin that segfaults in check or exits in discover is named with the call") {
  TempDir dir;
  auto check = run("check", connection(dir, "check", "segfault"));
  CHECK(check.signal == SIGSEGV);
  CHECK(check.err == "error: plugin crashed: misbehaving check died with SIGSEGV\n");
  auto discover = run("discover", connection(dir, "discover", "exit"));
  CHECK(discover.exit_code == 1);
  CHECK(discover.err == "error: plugin exited: misbehaving discover called exit() instead of returning\n");
  CHECK(discover.out.empty());
}

TEST_CASE("a plugin that behaves in the calls it is asked for runs normally under the guard") {
  TempDir dir;
  auto result = run("sync", connection(dir, "check", "exit"));
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK(sqlite_value(dir.file("out.db"), "SELECT COUNT(*) FROM usage_events") == "2");
}
