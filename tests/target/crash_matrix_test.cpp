// The seeded crash matrix: for each engine and each sync mode, SIGKILL
// `sluice sync` at points drawn from a printed seed — mid-stream before any
// commit, right after a checkpoint commit, and just before the final commit
// (after the swap or append) — re-run to completion, and compare the table
// with an uninterrupted run: every row, so counts, distinct keys and every
// business column match.
//
// Kill points are fault points the sync reaches (SLUICE_FAULT_POINT=NAME:N),
// never timers. SLUICE_CRASH_SEED replays a run; SLUICE_CRASH_RUNS sets the
// kills per engine and mode (default 2; scripts/crash-matrix.sh --runs N).
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <algorithm>
#include <iostream>
#include <tuple>
#include <map>
#include <random>

using namespace sluice::test;

namespace {

constexpr int kRecords = 40;
constexpr int kBatch = 4;  // ten batches, a checkpoint after each

uint64_t crash_seed() {
  static const uint64_t seed = [] {
    const char* text = std::getenv("SLUICE_CRASH_SEED");
    uint64_t value = text ? std::strtoull(text, nullptr, 10) : std::random_device{}();
    std::cerr << "crash matrix seed: " << value << " (replay with SLUICE_CRASH_SEED=" << value << ")\n";
    return value;
  }();
  return seed;
}

int crash_runs() {
  const char* text = std::getenv("SLUICE_CRASH_RUNS");
  return text ? std::max(1, std::atoi(text)) : 2;
}

json::object items(int first, int last) {
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(first, last));
  stream["batch_size"] = kBatch;
  return stream;
}

// A kill point this mode reaches: full refreshes commit only at the end.
std::string draw_point(std::mt19937_64& random, bool full_refresh) {
  std::vector<std::string> points{"batch-written", "before-final-commit"};
  if (!full_refresh) points.push_back("checkpoint-committed");
  std::string point = points[random() % points.size()];
  if (point == "before-final-commit") return point;
  return point + ":" + std::to_string(1 + random() % (kRecords / kBatch));
}

// What a target holds after a first run of records 100-101 and then one
// uninterrupted run of records 1-40.
Rows uninterrupted(Engine engine, const std::string& sync_mode) {
  TargetFixture f(engine);
  f.write_scripted({items(100, 101)}, {mode("items", sync_mode)});
  REQUIRE(f.sync().exit_code == 0);
  f.sluice({"state", "reset", f.dir.file("conn.json")});
  f.write_scripted({items(1, kRecords)}, {mode("items", sync_mode)});
  REQUIRE(f.sync().exit_code == 0);
  return f.rows("SELECT id, ts, v FROM items ORDER BY id, ts, v");
}

}  // namespace

TEMPLATE_TEST_CASE("a sync killed at a seeded point and re-run leaves exactly the rows of an uninterrupted run, in "
                   "every mode",
                   "[target][crash]", SLUICE_ALL_TARGETS) {
  const uint64_t seed = crash_seed();
  INFO("crash matrix seed " << seed);
  for (std::string sync_mode : {"full_refresh_overwrite", "full_refresh_append", "incremental_append",
                                "incremental_append_dedup"}) {
    DYNAMIC_SECTION(sync_mode) {
      // One stream of draws per engine and mode, so a failure replays alone.
      std::seed_seq mix{seed, static_cast<uint64_t>(TestType::engine), std::hash<std::string>{}(sync_mode)};
      std::mt19937_64 random(mix);
      const Rows expected = uninterrupted(TestType::engine, sync_mode);
      for (int run = 0; run < crash_runs(); ++run) {
        const std::string point = draw_point(random, sync_mode.rfind("full_refresh", 0) == 0);
        INFO("run " << run << ": killed at " << point);
        TargetFixture f(TestType::engine);
        f.write_scripted({items(100, 101)}, {mode("items", sync_mode)});
        REQUIRE(f.sync().exit_code == 0);
        f.sluice({"state", "reset", f.dir.file("conn.json")});

        f.write_scripted({items(1, kRecords)}, {mode("items", sync_mode)});
        ProcessOptions options;
        options.working_dir = f.dir.path().string();
        options.env["SLUICE_FAULT_POINT"] = point;
        auto killed = run_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR}, options);
        REQUIRE(killed.signal == SIGKILL);

        auto rerun = f.sync();
        INFO(rerun.all());
        REQUIRE(rerun.exit_code == 0);
        CHECK(f.rows("SELECT id, ts, v FROM items ORDER BY id, ts, v") == expected);
        CHECK(f.db->tables() == std::vector<std::string>{"items"});
      }
    }
  }
}

TEMPLATE_TEST_CASE("parallel streams in every mode, killed at a seeded point and re-run, leave exactly the rows of "
                   "an uninterrupted run in every table",
                   "[target][crash]", SLUICE_ALL_TARGETS) {
  const uint64_t seed = crash_seed();
  INFO("crash matrix seed " << seed);
  const std::vector<std::string> modes{"full_refresh_overwrite", "full_refresh_append", "incremental_append",
                                       "incremental_append_dedup"};
  // One stream per mode, named after it, all read at once.
  auto write_streams = [&](TargetFixture& f, int first, int last) {
    json::array streams, selection;
    for (const auto& sync_mode : modes) {
      auto stream = items(first, last);
      stream["name"] = sync_mode;
      streams.push_back(std::move(stream));
      selection.push_back(mode(sync_mode, sync_mode));
    }
    f.write_scripted(streams, selection);
  };
  auto sync_args = [](TargetFixture& f) {
    return std::vector<std::string>{"sync", f.dir.file("conn.json"), "--parallel", "4"};
  };
  std::map<std::string, Rows> expected;  // the rows the single-stream matrix expects of each mode
  for (const auto& sync_mode : modes) expected[sync_mode] = uninterrupted(TestType::engine, sync_mode);
  std::seed_seq mix{seed, static_cast<uint64_t>(TestType::engine), uint64_t{4}};
  std::mt19937_64 random(mix);
  for (int run = 0; run < crash_runs(); ++run) {
    // Hits are counted across the four streams: 40 batches written, 20
    // checkpoints committed (the two incremental streams), 4 final commits.
    const std::vector<std::pair<std::string, int>> points{
        {"batch-written", 4 * kRecords / kBatch}, {"checkpoint-committed", 2 * kRecords / kBatch},
        {"before-final-commit", 4}};
    const auto& [name, hits] = points[random() % points.size()];
    const std::string point = name + ":" + std::to_string(1 + random() % hits);
    INFO("run " << run << ": killed at " << point);
    TargetFixture f(TestType::engine);
    write_streams(f, 100, 101);
    REQUIRE(f.sluice(sync_args(f)).exit_code == 0);
    f.sluice({"state", "reset", f.dir.file("conn.json")});

    write_streams(f, 1, kRecords);
    ProcessOptions options;
    options.working_dir = f.dir.path().string();
    options.env["SLUICE_FAULT_POINT"] = point;
    auto args = sync_args(f);
    args.insert(args.end(), {"--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
    auto killed = run_sluice(args, options);
    REQUIRE(killed.signal == SIGKILL);
    // A stream may have completed before another one's kill point: an
    // append is then in the table whole (never in part), and the re-run
    // appends one more copy, as any second run would.
    const std::string appended = f.value("SELECT COUNT(*) FROM full_refresh_append WHERE id < 100");
    REQUIRE((appended == "0" || appended == std::to_string(kRecords)));

    auto rerun = f.sluice(sync_args(f));
    INFO(rerun.all());
    REQUIRE(rerun.exit_code == 0);
    for (const auto& sync_mode : modes) {
      INFO(sync_mode);
      Rows want = expected[sync_mode];
      if (sync_mode == "full_refresh_append" && appended != "0") {
        for (const auto& row : expected[sync_mode]) {
          if (std::stoi(row[0]) < 100) want.push_back(row);
        }
        std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
          return std::make_tuple(std::stoi(a[0]), a[1], a[2]) < std::make_tuple(std::stoi(b[0]), b[1], b[2]);
        });
      }
      CHECK(f.rows("SELECT id, ts, v FROM " + sync_mode + " ORDER BY id, ts, v") == want);
    }
    CHECK(f.db->tables() == std::vector<std::string>{"full_refresh_append", "full_refresh_overwrite",
                                                     "incremental_append", "incremental_append_dedup"});
  }
}
