#include "host/serve/schedule/schedule_spec.hpp"

#include "host/config/closest_name.hpp"

#include <algorithm>

namespace sluice::host::serve {

namespace json = boost::json;

Schedule schedule_from_json(const json::value& spec, std::string_view path) {
  const std::string where(path);
  auto fail = [&](const std::string& key, const std::string& what) -> Schedule {
    throw ScheduleError((key.empty() ? where : where + "." + key) + ": " + what);
  };
  if (!spec.is_object()) return fail("", "expected an object with \"cron\" or \"interval_seconds\"");
  const auto& o = spec.get_object();
  const std::vector<std::string> keys{"cron", "interval_seconds", "time_zone", "jitter_seconds"};
  for (const auto& field : o) {
    const std::string key(field.key());
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    auto near = closest_name(key, keys);
    return fail(key, near ? "unknown key (did you mean " + *near + "?)"
                          : "unknown key (expected cron, interval_seconds, time_zone or jitter_seconds)");
  }
  auto text = [&](const char* key) -> std::optional<std::string> {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(key, "expected a string");
    return std::string(v->get_string());
  };
  auto whole_seconds = [&](const char* key) -> std::optional<std::chrono::seconds> {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_int64() || v->get_int64() < 0) fail(key, "expected whole seconds (an integer, 0 or more)");
    return std::chrono::seconds(v->get_int64());
  };
  const auto cron = text("cron");
  const auto interval = whole_seconds("interval_seconds");
  const auto zone = text("time_zone");
  const auto jitter = whole_seconds("jitter_seconds").value_or(std::chrono::seconds(0));
  if (cron && interval) return fail("", "give \"cron\" or \"interval_seconds\", not both");
  if (!cron && !interval) return fail("", "expected \"cron\" or \"interval_seconds\"");
  if (zone && interval) return fail("time_zone", "only a cron schedule has a time zone");
  if (interval) {
    try {
      return Schedule::every(*interval, jitter);
    } catch (const ScheduleError& e) {
      return fail("interval_seconds", e.what());
    }
  }
  try {
    CronExpression::parse(*cron);
  } catch (const ScheduleError& e) {
    return fail("cron", e.what());
  }
  try {
    return Schedule::cron(*cron, zone.value_or("UTC"), jitter);
  } catch (const ScheduleError& e) {
    return fail("time_zone", e.what());
  }
}

}  // namespace sluice::host::serve
