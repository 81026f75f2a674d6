// Runs one sync of a connection: discover, plan, then each selected stream
// (StreamRun), recording the run in _sluice_syncs. Each stream is read in its
// own read() call and written through its own transactions, so a checkpoint
// of one stream never commits another stream's uncovered rows.
//
// Parallel streams (SyncRequest::parallel > 1, and only for a plugin that
// allows concurrent sessions): up to N streams run at once, each on its own
// worker thread with its own plugin session and its own target connection,
// taking the next stream in plan order when one ends. On a single-writer
// engine (SQLite) the workers take turns to write: each turn is one
// transaction ending in its commit, so every commit still covers exactly
// what its stream's checkpoint says.
#pragma once

#include "host/config/connection.hpp"
#include "host/plugin/plugin.hpp"
#include "host/sync/sync_listener.hpp"
#include "host/target/target.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice::host {

struct SyncRequest {
  const Plugin* plugin = nullptr;
  boost::json::object config;           // validated, secrets resolved, defaults applied
  const Connection* connection = nullptr;
  std::vector<std::string> only_streams;  // --streams; empty = all selected
  Target* target = nullptr;
  SyncListener* listener = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  // How long to wait for another sync writing the same tables (--wait);
  // zero fails at once naming it.
  std::chrono::seconds lock_wait{0};
  // Streams read at once (--parallel); 1 reads them one after another.
  size_t parallel = 1;
  // Another connection to the same target, one per parallel worker;
  // without it streams run one after another.
  std::function<std::unique_ptr<Target>()> open_target;
};

struct SyncResult {
  std::string sync_id;
  RunStatus status = RunStatus::running;
  std::vector<StreamOutcome> streams;
  double seconds = 0;
  // One line per stream that did not succeed: "stream X failed: why".
  std::vector<std::string> errors;
  // Every warning the run logged (engine and plugin), in order.
  std::vector<std::string> warnings;
};

// Throws ConfigError (bad selection), PluginError (discover failed) or
// TargetError before any stream starts; afterwards every failure is
// reported in the result, never thrown.
SyncResult run_sync(const SyncRequest& request);

// The name a connection is recorded under: its file name without extension.
std::string connection_name(const Connection& connection);

}  // namespace sluice::host
