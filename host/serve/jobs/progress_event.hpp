// What a `sluice sync --progress-fd N` child reports on fd N, read back by
// the daemon. The wire is NDJSON, one event per line, written by
// host/cli/progress_pipe (which documents each field); every event has
// "event" and "at" (UTC ISO-8601). Each line is written whole under one
// mutex, so events of parallel streams never interleave.
//
//   {"event":"stream_started", "stream":S, "table":T, "mode":M}
//   {"event":"progress", "stream":S, "records":N, "bytes":B, "seconds":F}
//   {"event":"checkpoint", "stream":S, "records":N}        rows committed so far
//   {"event":"stream_done", "stream":S, "status":"succeeded|failed|cancelled",
//        "records":N, "bytes":B, "seconds":F, "error_kind":K, "error":LINE}
//                                                      records committed, bytes received
//   {"event":"sync_done", "sync_id":ID, "status":"succeeded|failed|cancelled",
//        "exit_code":C, "failure":CLASS, "error_kind":K, "message":LINE}
//
// sync_done is the last event of a child that ended by itself (also when
// it failed before any stream started: bad config, plugin not loadable);
// a child that crashed or was killed never writes it.
//
// A `sluice query --progress-fd N` child (the daemon's query endpoint)
// writes instead:
//   {"event":"query_columns", "columns":[{"name", "schema", "source_type"}...]}
//                                                      before its first row
//   {"event":"query_done", "status":"succeeded|failed|cancelled", "exit_code":C,
//        "failure":CLASS, "error_kind":K, "message":LINE, "records":ROWS,
//        "bytes":B, "truncated":BOOL, "truncated_by":"--limit-rows 10", "facts":{...}}
// query_done is its last event, as sync_done is a sync's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::host::serve {

struct ProgressEvent {
  enum class Kind { stream_started, progress, checkpoint, stream_done, sync_done, query_columns, query_done };
  Kind kind = Kind::progress;
  std::string at;          // when the child wrote it
  std::string stream;      // every kind but sync_done
  std::string table;       // stream_started
  std::string mode;        // stream_started: "incremental_append", ...
  uint64_t records = 0;    // progress: received; checkpoint: committed; stream_done: committed
  uint64_t bytes = 0;      // progress, stream_done: NDJSON bytes received from the plugin
  double seconds = 0;      // progress, stream_done
  std::string status;      // stream_done, sync_done: "succeeded", "failed", "cancelled"
  std::string error_kind;  // stream_done, sync_done: see sync_done below; "" on success
  std::string error;       // stream_done: one line
  // sync_done only:
  std::string sync_id;     // "" when the sync failed before it got one
  int exit_code = 0;       // the exit code the child is about to return
  // Why the sync failed: "stream" (a stream failed: error_kind says how),
  // "usage", "config", "plugin_load", "plugin", "target", "cancelled",
  // "internal" (HostError's Failure names); "" on success.
  std::string failure;
  // error_kind above, in sync_done, is the kind that decides a retry: for
  // failure "stream", "transient" or "rate_limited" only when every failed
  // stream failed so (rate_limited if any did), else the first other kind;
  // for "plugin", the plugin's kind; else "".
  std::string message;     // one line: the first error, as the CLI printed it
  // query_columns: the columns array; query_done: the plugin's facts
  // object (JSON text, "" when absent).
  std::string columns_json;
  std::string facts_json;
  bool truncated = false;    // query_done: a limit cut the result
  std::string truncated_by;  // query_done: "--limit-rows 10"
};

// sync_done or query_done: the last event of a child that ended by itself.
inline bool is_final(const ProgressEvent& event) {
  return event.kind == ProgressEvent::Kind::sync_done || event.kind == ProgressEvent::Kind::query_done;
}

// One NDJSON line (without its newline) as an event; nullopt for a line
// that is not an object with a known "event" (a newer child's event is
// skipped, not an error).
std::optional<ProgressEvent> parse_progress_event(std::string_view line);

const char* to_string(ProgressEvent::Kind kind);

}  // namespace sluice::host::serve
