// `sluice test-plugin`: the acceptance suite a connector author runs against
// their plugin and its source (or a fake of it). Each check exercises the
// plugin through the host's own paths (plugin sessions, the catalog lint,
// run_sync into SQLite), so a plugin that passes behaves in `sluice sync`
// and `sluice serve` as it did here. The checks, in order:
//   spec        the config schema is a valid draft-07 schema without unknown
//               keywords (what loading the plugin already enforces, reported)
//   config      the given config is valid against that schema
//   check       check() accepts the config
//   discover    discover() returns a catalog whose schemas are valid and
//               whose streams' modes, cursor and key hang together
//   read        every stream reads to its end in every mode it offers, each
//               mode into its own scratch SQLite file (incremental modes
//               where a cursor is known, dedup where a key is known)
//   schema      no record has a field its json_schema lacks (_sluice_extra)
//               or a value not of its declared type (_sluice_uncast)
//   keys        where dedup is offered, every record carries its key
//   checkpoint  incremental reads save a checkpoint
//   resume      a second incremental run, from the saved state, adds no new
//               distinct row
//   secrets     no secret config value, in any encoding, in the plugin's log
//               lines, errors, catalog, printed output or the target file
//   cancel      a read cancelled as it starts (the host's cancel flag set
//               right before read()) returns within a bound
// Later checks that need an earlier one's result are skipped when it fails.
#pragma once

#include "host/config/connection.hpp"
#include "host/plugin/plugin.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice::host {

struct AcceptanceRequest {
  const Plugin* plugin = nullptr;
  boost::json::object config;         // as given: secret references not resolved
  std::filesystem::path config_file;  // resolves relative $file references; names the runs
  std::filesystem::path scratch;      // an existing empty folder for the targets and captured output
  std::chrono::milliseconds cancel_within{10000};
  // A connection file's stream selections, when FILE was one: the cursor
  // and key they name stand in for a stream's own (a warehouse table offers
  // incremental reads with no default cursor: the operator names one).
  std::vector<StreamSelection> hints;
};

// One check's outcome: `text` is a summary when it passed, else the problem
// followed by "; fix: ...". A check that failed several ways has several.
struct CheckOutcome {
  std::string check;
  bool passed = true;
  std::string text;
};

struct AcceptanceResult {
  std::vector<CheckOutcome> checks;
  // Set when the cancel check gave up on a read that went on after the
  // bound: the plugin is still running on another thread, so the caller
  // must end the process without waiting for it (or destroying its state).
  bool plugin_still_running = false;
  bool passed() const;
};

// Runs every check. Throws ConfigError only for a config whose secret
// references cannot be read; every other problem is a check's outcome. The
// process's stdout and stderr are captured while the plugin runs.
AcceptanceResult run_acceptance(const AcceptanceRequest& request);

}  // namespace sluice::host
