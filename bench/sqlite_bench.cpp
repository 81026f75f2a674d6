// Sync throughput into SQLite against a baseline measured in the same run.
//
// For each size N (default 100,000 and 1,000,000 synthetic usage events):
//  1. `sluice sync` of N events from the synthetic plugin into a fresh SQLite
//     file, as a child process: wall time, peak RSS and CPU time (wait4 of
//     the child) and CPU time per thread, end to end (plugin generates JSON,
//     host parses, maps, writes, commits a checkpoint every 1,000 events).
//  2. Baseline: the rows the sync wrote (all 14 columns, metadata included),
//     read back into memory, then inserted into a fresh table of the same
//     definition through the raw sqlite3 C API with one prepared statement
//     in one transaction, same journal settings; only the insert loop and
//     its commit are timed. It runs right after its sync, in a forked child.
// It prints both rates, their ratio, the load average when the sync ran,
// the sync's CPU seconds per million rows (all threads, then per thread)
// and its peak RSS. The sync needs two cores and the baseline one, so on a
// busy machine the ratio falls towards CPU(raw)/CPU(sync): compare ratios
// at a similar load average only.
//
// Usage: bench_sqlite [N ...] [--mode MODE] [--rounds K] [--cli PATH ...]
//   MODE: a sync mode (default incremental_append).
//   --rounds: repeat everything K times (default 1), a line per run.
//   --cli: also run each sync with another build's sluice executable (its
//   plugins next to it, as in a build tree), for before/after figures taken
//   in the same run; the line says which.
#include "sync_child.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using sluice::bench::SyncRun;
using sluice::bench::load_average;
using sluice::bench::run_sync;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

// A row held as SQLite values, to re-insert exactly what the sync wrote.
struct Value {
  int type;
  sqlite3_int64 i;
  double d;
  std::string text;
};

struct Table {
  std::string create_sql;  // the sync's own CREATE TABLE statement
  int width = 0;
  std::vector<std::vector<Value>> rows;
};

Table load_rows(const fs::path& db_file) {
  sqlite3* db = nullptr;
  check(sqlite3_open(db_file.c_str(), &db), db, "open");
  Table table;
  sqlite3_stmt* select = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'usage_events'", -1, &select, nullptr),
        db, "schema");
  if (sqlite3_step(select) == SQLITE_ROW) table.create_sql = reinterpret_cast<const char*>(sqlite3_column_text(select, 0));
  sqlite3_finalize(select);
  check(sqlite3_prepare_v2(db, "SELECT * FROM usage_events", -1, &select, nullptr), db, "select");
  table.width = sqlite3_column_count(select);
  while (sqlite3_step(select) == SQLITE_ROW) {
    auto& row = table.rows.emplace_back();
    for (int c = 0; c < table.width; ++c) {
      Value v{sqlite3_column_type(select, c), sqlite3_column_int64(select, c), sqlite3_column_double(select, c), ""};
      if (v.type == SQLITE_TEXT) v.text = reinterpret_cast<const char*>(sqlite3_column_text(select, c));
      row.push_back(std::move(v));
    }
  }
  sqlite3_finalize(select);
  sqlite3_close(db);
  return table;
}

// Raw C API: one prepared INSERT, one transaction, same journal settings.
double baseline_insert(const fs::path& db_file, const Table& table) {
  sqlite3* db = nullptr;
  check(sqlite3_open(db_file.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr), db, "pragma");
  check(sqlite3_exec(db, table.create_sql.c_str(), nullptr, nullptr, nullptr), db, "create");
  std::string params;
  for (int c = 0; c < table.width; ++c) params += c ? ",?" : "?";
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db, ("INSERT INTO usage_events VALUES (" + params + ")").c_str(), -1, &insert, nullptr),
        db, "prepare");
  auto start = Clock::now();
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  for (const auto& row : table.rows) {
    for (int c = 0; c < table.width; ++c) {
      const Value& v = row[static_cast<size_t>(c)];
      if (v.type == SQLITE_INTEGER) sqlite3_bind_int64(insert, c + 1, v.i);
      else if (v.type == SQLITE_FLOAT) sqlite3_bind_double(insert, c + 1, v.d);
      else if (v.type == SQLITE_TEXT) sqlite3_bind_text(insert, c + 1, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
      else sqlite3_bind_null(insert, c + 1);
    }
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
  }
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return seconds;
}

// The baseline in a forked child, so this process never holds the rows (a
// child's ru_maxrss starts from its parent's high-water mark) and each
// baseline can run right after its sync, under the same load.
double baseline_in_child(const fs::path& run_dir, long events) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    double seconds = -1;
    try {
      Table table = load_rows(run_dir / "sync.db");
      if (static_cast<long>(table.rows.size()) == events) seconds = baseline_insert(run_dir / "raw.db", table);
      else std::fprintf(stderr, "the sync wrote %zu rows, not %ld\n", table.rows.size(), events);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "baseline: %s\n", e.what());
    }
    ssize_t written = write(fds[1], &seconds, sizeof seconds);
    _exit(written == sizeof seconds && seconds > 0 ? 0 : 1);
  }
  close(fds[1]);
  double seconds = -1;
  ssize_t got = read(fds[0], &seconds, sizeof seconds);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof seconds || seconds <= 0) throw std::runtime_error("the baseline failed");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes;
  std::string mode = "incremental_append";
  std::vector<std::string> clis = {SLUICE_CLI_PATH};
  int rounds = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) mode = argv[++i];
    else if (arg == "--cli" && i + 1 < argc) clis.push_back(argv[++i]);
    else if (arg == "--rounds" && i + 1 < argc) rounds = std::stoi(argv[++i]);
    else sizes.push_back(std::stol(arg));
  }
  if (sizes.empty()) sizes = {100000, 1000000};

  fs::path dir = fs::temp_directory_path() / ("sluice-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::printf("mode %s; CPU: user+sys seconds per million rows of the sync child (all threads = per thread)\n",
              mode.c_str());
  std::printf("%9s %12s %12s %6s %6s %17s %8s  %s\n", "events", "sync rows/s", "raw rows/s", "ratio", "load",
              "CPU s/M rows", "RSS MB", "sluice");
  for (int round = 0; round < rounds; ++round) {
    for (long events : sizes) {
      for (size_t c = 0; c < clis.size(); ++c) {
        const fs::path run_dir = dir / (std::to_string(events) + "-" + std::to_string(c));
        fs::create_directories(run_dir);
        std::ofstream(run_dir / "bench.json") << R"({"source":{"plugin":"synthetic","config":{"events":)" << events
                                              << R"(,"customers":1000,"seed":1}},"target":"sqlite://./sync.db",)"
                                              << R"("streams":[{"name":"usage_events","mode":")" << mode << R"("}]})";
        const std::string load = load_average();  // the last minute's, just before the sync
        const SyncRun sync = run_sync(run_dir, (run_dir / "bench.json").string(), clis[c]);
        const double raw_seconds = baseline_in_child(run_dir, events);
        fs::remove_all(run_dir);
        const double n = static_cast<double>(events);
        const double sync_rate = n / sync.seconds;
        const double raw_rate = n / raw_seconds;
        char cpu[64];
        std::snprintf(cpu, sizeof cpu, "%.2f=%s", sync.cpu_seconds * 1e6 / n,
                      sluice::bench::thread_cpu_text(sync, events).c_str());
        std::printf("%9ld %12.0f %12.0f %5.0f%% %6s %17s %8.1f  %s\n", events, sync_rate, raw_rate,
                    100 * sync_rate / raw_rate, load.c_str(), cpu, static_cast<double>(sync.peak_rss_kb) / 1024,
                    c ? clis[c].c_str() : "this build");
        std::fflush(stdout);
      }
    }
  }
  fs::remove_all(dir);
  return 0;
}
