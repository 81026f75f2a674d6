// One query on a plugin session, its result streamed to a ResultWriter
// under the guards Sluice enforces itself (docs/query.md), in addition to
// the ones the plugin pushes into the source:
//  - limits: a row past limits.rows, or one whose text would take the
//    result past limits.bytes, is not written; the plugin is told to stop
//    (emit_rows answers SLUICE_CANCELLED, so it cancels at the source) and
//    the outcome is truncated. A result that fits exactly is not.
//  - the timeout: from the first call, once `now()` passes the deadline,
//    is_cancelled turns true and every emit is refused, so the plugin
//    cancels the statement at the source; the run then fails (transient)
//    saying so. Plugins poll is_cancelled while the source works.
//  - interrupt (Ctrl-C, SIGTERM): the same, failing as cancelled.
// Rows are checked as they pass: each a JSON array with one value per
// column, else the run fails naming the row.
#pragma once

#include "host/plugin/host_callbacks.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/query/result_writer.hpp"

#include <atomic>
#include <chrono>
#include <functional>

namespace sluice::host {

struct QueryRunOptions {
  uint64_t limit_rows = 0;   // 0: none
  uint64_t limit_bytes = 0;  // 0: none
  std::chrono::milliseconds timeout{60'000};
  const std::atomic<bool>* interrupt = nullptr;  // may be null
  HostCallbacks* log = nullptr;                  // the plugin's log lines; may be null
  std::function<void()> after_batch;             // after each batch of rows is written; may be empty
  std::function<std::chrono::steady_clock::time_point()> now = [] { return std::chrono::steady_clock::now(); };
};

// Runs `request_json` (plugin.h's query request) on `session`, which must
// have been opened for queries. Returns the outcome (writer.end() has run);
// throws HostError: cancelled on interrupt, plugin (transient) past the
// timeout, plugin for the plugin's own failure.
QueryOutcome run_query(PluginSession& session, const std::string& request_json, ResultWriter& writer,
                       const QueryRunOptions& options);

}  // namespace sluice::host
