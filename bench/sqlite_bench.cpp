// Sync throughput into SQLite against a baseline measured in the same run.
//
// For each size N (default 100,000 and 1,000,000 synthetic usage events):
//  1. `sluice sync` of N events from the synthetic plugin into a fresh SQLite
//     file, as a child process: wall time and peak RSS (getrusage of the
//     child), end to end (plugin generates JSON, host parses, maps, writes).
//  2. Baseline: the same N rows, read back from that file into memory, then
//     inserted into a fresh file through the raw sqlite3 C API with one
//     prepared statement in one transaction; only the insert loop is timed.
// It prints both rates, their ratio and the sync's peak RSS. Machines are
// shared and noisy: compare the ratio, not the absolute rates.
//
// Usage: bench_sqlite [N ...] [--mode MODE]   (MODE: a sync mode, default
// incremental_append)
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

constexpr const char* kColumns =
    "id, customer_id, ts, metric, quantity, amount, unit, region, billable, attributes";

std::vector<std::vector<Value>> load_rows(const fs::path& db_file) {
  sqlite3* db = nullptr;
  check(sqlite3_open(db_file.c_str(), &db), db, "open");
  sqlite3_stmt* select = nullptr;
  check(sqlite3_prepare_v2(db, (std::string("SELECT ") + kColumns + " FROM usage_events").c_str(), -1, &select,
                           nullptr),
        db, "select");
  std::vector<std::vector<Value>> rows;
  while (sqlite3_step(select) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int c = 0; c < 10; ++c) {
      Value v{sqlite3_column_type(select, c), sqlite3_column_int64(select, c), sqlite3_column_double(select, c), ""};
      if (v.type == SQLITE_TEXT) v.text = reinterpret_cast<const char*>(sqlite3_column_text(select, c));
      row.push_back(std::move(v));
    }
  }
  sqlite3_finalize(select);
  sqlite3_close(db);
  return rows;
}

// Raw C API: one prepared INSERT, one transaction, same journal settings.
double baseline_insert(const fs::path& db_file, const std::vector<std::vector<Value>>& rows) {
  sqlite3* db = nullptr;
  check(sqlite3_open(db_file.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr), db, "pragma");
  check(sqlite3_exec(db,
                     "CREATE TABLE usage_events (id TEXT, customer_id INTEGER, ts TIMESTAMP, metric TEXT, "
                     "quantity INTEGER, amount REAL, unit TEXT, region TEXT, billable BOOLEAN, attributes TEXT)",
                     nullptr, nullptr, nullptr),
        db, "create");
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db, (std::string("INSERT INTO usage_events (") + kColumns +
                                ") VALUES (?,?,?,?,?,?,?,?,?,?)").c_str(), -1, &insert, nullptr),
        db, "prepare");
  auto start = Clock::now();
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  for (const auto& row : rows) {
    for (int c = 0; c < 10; ++c) {
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes;
  std::string mode = "incremental_append";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) mode = argv[++i];
    else sizes.push_back(std::stol(arg));
  }
  if (sizes.empty()) sizes = {100000, 1000000};

  fs::path dir = fs::temp_directory_path() / ("sluice-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::printf("mode %s\n%10s %14s %14s %7s %12s\n", mode.c_str(), "events", "sync rows/s", "raw rows/s", "ratio",
              "sync RSS MB");
  // Every sync runs before any baseline: the baselines load rows into this
  // process, and a child's ru_maxrss starts from its parent's high-water mark.
  std::vector<SyncRun> syncs;
  for (long n : sizes) {
    const fs::path run_dir = dir / std::to_string(n);
    fs::create_directories(run_dir);
    std::ofstream(run_dir / "bench.json") << R"({"source":{"plugin":"synthetic","config":{"events":)" << n
                                          << R"(,"customers":1000,"seed":1}},"target":"sqlite://./sync.db",)"
                                          << R"("streams":[{"name":"usage_events","mode":")" << mode << R"("}]})";
    syncs.push_back(run_sync(run_dir, (run_dir / "bench.json").string()));
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    const long n = sizes[i];
    const fs::path run_dir = dir / std::to_string(n);
    double raw_seconds = 0;
    {
      auto rows = load_rows(run_dir / "sync.db");
      if (static_cast<long>(rows.size()) != n) throw std::runtime_error("the sync wrote the wrong number of rows");
      raw_seconds = baseline_insert(run_dir / "raw.db", rows);
    }
    fs::remove_all(run_dir);
    double sync_rate = static_cast<double>(n) / syncs[i].seconds;
    double raw_rate = static_cast<double>(n) / raw_seconds;
    std::printf("%10ld %14.0f %14.0f %6.0f%% %12.1f\n", n, sync_rate, raw_rate, 100 * sync_rate / raw_rate,
                static_cast<double>(syncs[i].peak_rss_kb) / 1024);
  }
  fs::remove_all(dir);
  return 0;
}
