#include "host/serve/jobs/run_progress.hpp"

#include <algorithm>

namespace sluice::host::serve {

StreamProgress& RunProgress::stream(const std::string& name) {
  auto found = std::find_if(streams_.begin(), streams_.end(), [&](const auto& s) { return s.stream == name; });
  if (found != streams_.end()) return *found;
  streams_.push_back(StreamProgress{});
  streams_.back().stream = name;
  return streams_.back();
}

void RunProgress::apply(const ProgressEvent& event) {
  using Kind = ProgressEvent::Kind;
  // Only a sync's stream events count here (a query's never reach a RunProgress).
  if (event.kind == Kind::sync_done || event.kind == Kind::query_columns || event.kind == Kind::query_done) return;
  std::lock_guard lock(mutex_);
  StreamProgress& s = stream(event.stream);
  switch (event.kind) {
    case Kind::stream_started:
      s.table = event.table;
      s.mode = event.mode;
      break;
    case Kind::progress:
      s.records_received = std::max(s.records_received, event.records);
      s.bytes = std::max(s.bytes, event.bytes);
      s.seconds = event.seconds;
      break;
    case Kind::checkpoint:
      s.records_committed = std::max(s.records_committed, event.records);
      break;
    case Kind::stream_done:
      s.status = event.status;
      s.records_committed = event.records;
      s.records_received = std::max(s.records_received, event.records);
      s.bytes = std::max(s.bytes, event.bytes);
      s.seconds = event.seconds;
      s.error_kind = event.error_kind;
      s.error = event.error;
      break;
    case Kind::sync_done:
    case Kind::query_columns:
    case Kind::query_done: break;
  }
}

std::vector<StreamProgress> RunProgress::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

uint64_t RunProgress::records_committed() const {
  std::lock_guard lock(mutex_);
  uint64_t total = 0;
  for (const auto& s : streams_) total += s.records_committed;
  return total;
}

uint64_t RunProgress::bytes() const {
  std::lock_guard lock(mutex_);
  uint64_t total = 0;
  for (const auto& s : streams_) total += s.bytes;
  return total;
}

boost::json::array RunProgress::streams_json() const {
  boost::json::array out;
  for (const auto& s : streams()) {
    out.push_back(boost::json::object{{"stream", s.stream},
                                      {"table", s.table},
                                      {"mode", s.mode},
                                      {"status", s.status},
                                      {"records", s.records_committed},
                                      {"records_received", s.records_received},
                                      {"bytes", s.bytes},
                                      {"seconds", s.seconds},
                                      {"error_kind", s.error_kind},
                                      {"error", s.error}});
  }
  return out;
}

}  // namespace sluice::host::serve
