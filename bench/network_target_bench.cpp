// Sync throughput into PostgreSQL and MariaDB against each engine's own bulk
// loader, measured in the same run on the same server.
//
// For each engine (throwaway servers started with scripts/test-servers/,
// or the admin URLs given with --postgres URL / --mariadb URL):
//  1. `sluice sync` of N synthetic usage events into a fresh database, as a
//     child process: wall time and peak RSS (getrusage of the child), end to
//     end (plugin generates JSON, host parses, maps, writes, commits).
//  2. Baseline: the rows the sync wrote (all 14 columns) are exported to a
//     file, untimed, then loaded into a table of the same definition with
//     the engine's fastest client path, timed: `psql -c "\copy ... FROM"`
//     (COPY FROM STDIN) for PostgreSQL, `LOAD DATA LOCAL INFILE` through the
//     mariadb client for MariaDB.
// It prints both rates, their ratio, the load average when the sync ran, the
// sync's CPU seconds per million rows (all threads, then per thread) and its
// peak RSS. Machines are shared and noisy: compare the ratio, not the
// absolute rates.
//
// Usage: bench_network_targets [N] [--mode MODE] [--only postgres|mariadb]
//                              [--postgres URL] [--mariadb URL]
#include "bench/bench_shell.hpp"
#include "bench/sync_child.hpp"
#include "host/target/target_url.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using sluice::bench::load_average;
using sluice::bench::read_all;
using sluice::bench::run_sync;
using sluice::bench::shell;
using sluice::bench::timed_shell;
using sluice::bench::with_database;
using sluice::bench::SyncRun;

// How to reach one engine with its own command-line client.
struct Engine {
  std::string name;  // "postgres" or "mariadb"
  sluice::host::TargetUrl server;

  std::string client(const std::string& database) const {
    if (name == "postgres") {
      return "psql -q -X -v ON_ERROR_STOP=1 -h " + server.host + " -p " +
             std::to_string(server.port) + " -U " + server.user + " -d " + database;
    }
    return "mariadb --no-defaults --local-infile=1 -h " + server.host + " -P " +
           std::to_string(server.port) + " -u " + server.user + " " + database;
  }
  void sql(const std::string& database, const std::string& statement) const {
    shell(client(database) + (name == "postgres" ? " -c \"" : " -e \"") + statement + "\" > /dev/null");
  }
};

// Exports the synced rows and loads them into a same-shaped table with the
// engine's bulk path; returns the load's seconds.
double baseline(const Engine& engine, const std::string& database, const fs::path& dir) {
  if (engine.name == "postgres") {
    const std::string file = (dir / "rows.copy").string();
    engine.sql(database, "CREATE TABLE usage_events_raw (LIKE usage_events INCLUDING INDEXES)");
    engine.sql(database, "\\copy usage_events TO '" + file + "'");
    return timed_shell(engine.client(database) + " -c \"\\copy usage_events_raw FROM '" + file + "'\" > /dev/null");
  }
  // The server writes the export as its own user, into a folder it owns.
  const std::string file = (dir / "rows.tsv").string();
  engine.sql(database, "CREATE TABLE usage_events_raw LIKE usage_events");
  engine.sql(database, "SELECT * FROM usage_events INTO OUTFILE '" + file + "'");
  return timed_shell(engine.client(database) + " -e \"LOAD DATA LOCAL INFILE '" + file +
                     "' INTO TABLE usage_events_raw\"");
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1000000;
  std::string mode = "incremental_append";
  std::string only;
  std::string given_postgres, given_mariadb;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) mode = argv[++i];
    else if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else if (arg == "--postgres" && i + 1 < argc) given_postgres = argv[++i];
    else if (arg == "--mariadb" && i + 1 < argc) given_mariadb = argv[++i];
    else n = std::stol(arg);
  }
  const fs::path scripts = fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers";
  const fs::path dir = fs::temp_directory_path() / ("sluice-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::all);  // the MariaDB server (another user) writes its export here

  std::printf("mode %s, %ld events; CPU: user+sys seconds per million rows of the sync child (all = per thread)\n"
              "%-9s %14s %15s %6s %6s %17s %12s\n",
              mode.c_str(), n, "target", "sync rows/s", "baseline rows/s", "ratio", "load", "CPU s/M rows",
              "sync RSS MB");
  int failures = 0;
  for (std::string name : {"postgres", "mariadb"}) {
    if (!only.empty() && only != name) continue;
    const fs::path state = dir / ("server-" + name);
    std::string given = name == "postgres" ? given_postgres : given_mariadb;
    try {
      if (given.empty()) {
        shell("bash " + (scripts / (name + ".sh")).string() + " start " + state.string() + " > /dev/null");
        given = read_all(state / "url");
      }
      Engine engine{name, sluice::host::parse_target_url(given)};
      // The clients read the password from the environment, never from a
      // command line (which an error message would print).
      setenv(name == "postgres" ? "PGPASSWORD" : "MYSQL_PWD", engine.server.password.c_str(), 1);
      const std::string database = "sluice_bench_" + std::to_string(getpid());
      engine.sql(engine.server.database, "CREATE DATABASE " + database);

      std::ofstream(dir / "bench.json") << R"({"source":{"plugin":"synthetic","config":{"events":)" << n
                                        << R"(,"customers":1000,"seed":1}},"target":")"
                                        << with_database(engine.server, database) << R"(",)"
                                        << R"("streams":[{"name":"usage_events","mode":")" << mode << R"("}]})";
      const std::string load = load_average();  // the last minute's, just before the sync
      SyncRun sync = run_sync(dir, (dir / "bench.json").string());
      double raw_seconds = baseline(engine, database, dir);
      double sync_rate = static_cast<double>(n) / sync.seconds;
      double raw_rate = static_cast<double>(n) / raw_seconds;
      char cpu[64];
      std::snprintf(cpu, sizeof cpu, "%.2f=%s", sync.cpu_seconds * 1e6 / static_cast<double>(n),
                    sluice::bench::thread_cpu_text(sync, n).c_str());
      std::printf("%-9s %14.0f %15.0f %5.0f%% %6s %17s %12.1f\n", name.c_str(), sync_rate, raw_rate,
                  100 * sync_rate / raw_rate, load.c_str(), cpu, static_cast<double>(sync.peak_rss_kb) / 1024);
      std::fflush(stdout);
      engine.sql(engine.server.database, "DROP DATABASE " + database);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
      ++failures;
    }
    if ((name == "postgres" ? given_postgres : given_mariadb).empty()) {
      shell("bash " + (scripts / (name + ".sh")).string() + " destroy " + state.string());
    }
  }
  fs::remove_all(dir);
  return failures ? 1 : 0;
}
