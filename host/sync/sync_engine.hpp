// Runs one sync of a connection: discover, plan, then each selected stream
// in turn (StreamRun), recording the run in _sluice_syncs. Streams run one
// after another, each in its own read() call, so a checkpoint of one stream
// never commits another stream's uncovered rows.
#pragma once

#include "host/config/connection.hpp"
#include "host/plugin/plugin.hpp"
#include "host/sync/sync_listener.hpp"
#include "host/target/target.hpp"

#include <atomic>
#include <chrono>
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
