// The host side of sluice_host_api: a C++ interface the sync engine (or a
// command) implements, and the C trampolines that forward to it. Exceptions
// thrown by the implementation become host errors handed to the plugin; they
// never unwind through plugin frames.
#pragma once

#include <sluice/plugin.h>

#include <string_view>

namespace sluice::host {

// What a plugin call can talk to. Implementations must be thread-safe for
// log/progress/cancelled (plugins may call them from any thread).
class HostCallbacks {
 public:
  virtual ~HostCallbacks() = default;
  // Throw to refuse the batch (the message reaches the plugin as an error).
  virtual void records(std::string_view ns, std::string_view stream, std::string_view ndjson) = 0;
  // ABI 1.4's typed records. By default checked (record_batch.hpp) and
  // passed to records() as the NDJSON they mean; the sync engine takes the
  // cells themselves.
  virtual void record_batch(std::string_view ns, std::string_view stream, const sluice_record_batch* batch);
  virtual void state(std::string_view ns, std::string_view stream, std::string_view state_json) = 0;
  virtual void log(int32_t level, std::string_view message) = 0;
  virtual void progress(std::string_view ns, std::string_view stream, int64_t done, int64_t total) = 0;
  virtual bool cancelled() = 0;
  // ABI 1.3 query results (PluginSession::query only). By default refused:
  // only a query's callbacks take them.
  virtual void columns(std::string_view columns_json);
  virtual void rows(std::string_view ndjson_rows);
};

// Thrown by a HostCallbacks implementation to report that the run was
// cancelled; the plugin receives SLUICE_CANCELLED.
struct RunCancelled {};

// Builds the C table pointing at `callbacks`. The table borrows it: keep
// `callbacks` alive while the table is in use. `query`: the table of a
// session opened for queries, with emit_columns and emit_rows (plugin.h
// leaves them NULL in every other table).
sluice_host_api make_host_api(HostCallbacks& callbacks, bool query = false);

// Callbacks for calls that emit nothing (check, discover): logs go to
// `log_sink`, emits are refused.
class LogOnlyCallbacks : public HostCallbacks {
 public:
  void records(std::string_view, std::string_view, std::string_view) override;
  void state(std::string_view, std::string_view, std::string_view) override;
  void progress(std::string_view, std::string_view, int64_t, int64_t) override {}
  bool cancelled() override { return false; }
};

}  // namespace sluice::host
