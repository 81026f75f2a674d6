// Time stamps and identifiers the engine writes.
#pragma once

#include <string>

namespace sluice::host {

// Now in UTC as ISO-8601 with microseconds: 2026-11-22T10:30:00.123456Z.
std::string utc_now_iso();
// A new sync id: UTC time plus random hex, sortable by start time.
std::string new_sync_id();

}  // namespace sluice::host
