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
//     its commit are timed.
// It prints both rates, their ratio, the load average when the sync ran,
// the sync's CPU seconds per million rows (all threads, then per thread)
// and its peak RSS. The sync needs two cores and the baseline one, so on a
// busy machine the ratio falls towards CPU(raw)/CPU(sync): compare ratios
// at a similar load average only.
//
// Usage: bench_sqlite [N ...] [--mode MODE] [--cli PATH ...]
//   MODE: a sync mode (default incremental_append).
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

struct Run {
  long events;
  std::string cli;
  std::string load;  // 1-minute load average just before the sync
  SyncRun sync;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes;
  std::string mode = "incremental_append";
  std::vector<std::string> clis = {SLUICE_CLI_PATH};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) mode = argv[++i];
    else if (arg == "--cli" && i + 1 < argc) clis.push_back(argv[++i]);
    else sizes.push_back(std::stol(arg));
  }
  if (sizes.empty()) sizes = {100000, 1000000};

  fs::path dir = fs::temp_directory_path() / ("sluice-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // Every sync runs before any baseline: the baselines load rows into this
  // process, and a child's ru_maxrss starts from its parent's high-water mark.
  std::vector<Run> runs;
  for (long n : sizes) {
    for (size_t c = 0; c < clis.size(); ++c) {
      const fs::path run_dir = dir / (std::to_string(n) + "-" + std::to_string(c));
      fs::create_directories(run_dir);
      std::ofstream(run_dir / "bench.json") << R"({"source":{"plugin":"synthetic","config":{"events":)" << n
                                            << R"(,"customers":1000,"seed":1}},"target":"sqlite://./sync.db",)"
                                            << R"("streams":[{"name":"usage_events","mode":")" << mode << R"("}]})";
      Run run{n, clis[c], load_average(), {}};
      run.sync = run_sync(run_dir, (run_dir / "bench.json").string(), clis[c]);
      runs.push_back(std::move(run));
    }
  }
  std::printf("mode %s; CPU: user+sys seconds per million rows of the sync child (all threads = per thread)\n",
              mode.c_str());
  std::printf("%9s %12s %12s %6s %6s %17s %8s  %s\n", "events", "sync rows/s", "raw rows/s", "ratio", "load",
              "CPU s/M rows", "RSS MB", "sluice");
  for (size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    const fs::path run_dir = dir / (std::to_string(run.events) + "-" + std::to_string(r % clis.size()));
    double raw_seconds = 0;
    {
      Table table = load_rows(run_dir / "sync.db");
      if (static_cast<long>(table.rows.size()) != run.events) {
        throw std::runtime_error("the sync wrote the wrong number of rows");
      }
      raw_seconds = baseline_insert(run_dir / "raw.db", table);
    }
    fs::remove_all(run_dir);
    const double n = static_cast<double>(run.events);
    const double sync_rate = n / run.sync.seconds;
    const double raw_rate = n / raw_seconds;
    const std::string cpu = sluice::bench::thread_cpu_text(run.sync, run.events);
    char cpu_text[64];
    std::snprintf(cpu_text, sizeof cpu_text, "%.2f=%s", run.sync.cpu_seconds * 1e6 / n, cpu.c_str());
    std::printf("%9ld %12.0f %12.0f %5.0f%% %6s %17s %8.1f  %s\n", run.events, sync_rate, raw_rate,
                100 * sync_rate / raw_rate, run.load.c_str(), cpu_text,
                static_cast<double>(run.sync.peak_rss_kb) / 1024, r % clis.size() ? run.cli.c_str() : "this build");
  }
  fs::remove_all(dir);
  return 0;
}
