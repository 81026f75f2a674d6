#include "host/sync/sync_listener.hpp"

namespace sluice::host {

const char* to_string(RunStatus status) {
  switch (status) {
    case RunStatus::running: return "running";
    case RunStatus::succeeded: return "succeeded";
    case RunStatus::failed: return "failed";
    case RunStatus::cancelled: return "cancelled";
  }
  return "failed";
}

boost::json::object outcome_json(const StreamOutcome& o) {
  return {{"stream", o.stream}, {"table", o.table},   {"mode", to_string(o.mode)}, {"status", to_string(o.status)},
          {"records", o.records}, {"seconds", o.seconds}, {"error", o.error},      {"error_kind", o.error_kind}};
}

}  // namespace sluice::host
