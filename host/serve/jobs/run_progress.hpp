// What one run has done so far, per stream, folded from its progress
// events (progress_event.hpp): the API's live view of a running sync and
// the totals its history keeps when it ends. Thread-safe: apply() on the
// run's thread (ChildRunOptions::on_progress), the readers from any.
#pragma once

#include "host/serve/jobs/progress_event.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::host::serve {

struct StreamProgress {
  std::string stream;
  std::string table;
  std::string mode;
  std::string status = "running";  // then stream_done's: succeeded | failed | cancelled
  uint64_t records_received = 0;   // from the plugin so far (progress events)
  uint64_t records_committed = 0;  // in the target (checkpoints; stream_done's final count)
  uint64_t bytes = 0;              // NDJSON bytes received
  double seconds = 0;
  std::string error_kind;
  std::string error;
};

class RunProgress {
 public:
  void apply(const ProgressEvent& event);

  // In the order the streams started.
  std::vector<StreamProgress> streams() const;
  uint64_t records_committed() const;  // all streams
  uint64_t bytes() const;              // all streams
  // [{"stream", "table", "mode", "status", "records", "records_received",
  //   "bytes", "seconds", "error_kind", "error"}], "records" being the
  // committed ones (the field StreamOutcome's JSON has).
  boost::json::array streams_json() const;

 private:
  StreamProgress& stream(const std::string& name);  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  std::vector<StreamProgress> streams_;
};

}  // namespace sluice::host::serve
