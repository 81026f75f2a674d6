// For tests that call the connector's classes (SheetsApi, discovery,
// read_sheet) in the test process against the fake, where a CLI run cannot
// reach: two connections in one process, a read given any state. A host
// callback table that keeps what the connector logs, emits and checkpoints,
// and the Settings of a connection to the fixture's server.
#pragma once

#include "settings.hpp"
#include "sheets_fixture.hpp"

#include <sluice/plugin.h>

#include <string>
#include <vector>

namespace gsheets_test {

struct HostCapture {
  std::vector<std::string> lines;    // log lines
  std::vector<std::string> records;  // emitted NDJSON batches
  std::vector<std::string> states;   // checkpoints
  sluice_host_api host{};

  HostCapture();
  HostCapture(const HostCapture&) = delete;
  std::string log() const;  // every line, each ending with a newline
};

// The fixture's spreadsheet read with `key_json`, one attempt per request
// (a 429 fails at once), no waits between retries.
gsheets::Settings direct_settings(const SheetsFixture& f, const std::string& key_json);

}  // namespace gsheets_test
