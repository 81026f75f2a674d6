// A connection's schedule: the one JSON shape the API (docs/api/sluice-v1.json,
// Schedule), the store and docs/daemon.md use:
//   {"cron": "30 2 * * *", "time_zone": "Europe/Berlin", "jitter_seconds": 300}
//   {"interval_seconds": 900, "jitter_seconds": 60}
// Whole seconds, as every duration of the API; "time_zone" (cron only)
// defaults to "UTC", "jitter_seconds" to 0. Unknown keys are errors: a typo
// such as "timezone" must not silently mean UTC. ({} - no schedule - is
// the caller's to allow.)
#pragma once

#include "host/serve/schedule/schedule.hpp"

#include <boost/json.hpp>

#include <string_view>

namespace sluice::host::serve {

// Throws ScheduleError with one line naming the JSON path, e.g.
//   schedule.time_zone: time zone "Mars/Olympus": unknown (not in /usr/share/zoneinfo)
//   schedule.timezone: unknown key (did you mean time_zone?)
//   schedule: expected "cron" or "interval_seconds"
// `path` is the schedule's place in the caller's document.
Schedule schedule_from_json(const boost::json::value& spec, std::string_view path = "schedule");

}  // namespace sluice::host::serve
