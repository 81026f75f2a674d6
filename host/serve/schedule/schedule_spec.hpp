// A connection's schedule as the API and the store hold it, JSON:
//   {"cron": "30 2 * * *", "time_zone": "Europe/Berlin", "jitter": "5m"}
//   {"every": "15m", "jitter": "1m"}
// "time_zone" (cron only) defaults to "UTC"; "jitter" (an interval as
// parse_interval reads it, "0s" allowed) to none. Unknown keys are errors:
// a typo such as "timezone" must not silently mean UTC.
#pragma once

#include "host/serve/schedule/schedule.hpp"

#include <boost/json.hpp>

#include <string_view>

namespace sluice::host::serve {

// Throws ScheduleError with one line naming the JSON path, e.g.
//   schedule.time_zone: time zone "Mars/Olympus": unknown (not in /usr/share/zoneinfo)
//   schedule.timezone: unknown key (did you mean time_zone?)
//   schedule: expected "cron" or "every"
// `path` is the schedule's place in the caller's document.
Schedule schedule_from_json(const boost::json::value& spec, std::string_view path = "schedule");

}  // namespace sluice::host::serve
