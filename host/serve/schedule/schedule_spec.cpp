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
  if (!spec.is_object()) return fail("", "expected an object with \"cron\" or \"every\"");
  const auto& o = spec.get_object();
  const std::vector<std::string> keys{"cron", "every", "time_zone", "jitter"};
  for (const auto& field : o) {
    const std::string key(field.key());
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    auto near = closest_name(key, keys);
    return fail(key, near ? "unknown key (did you mean " + *near + "?)"
                          : "unknown key (expected cron, every, time_zone or jitter)");
  }
  auto text = [&](const char* key) -> std::optional<std::string> {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(key, "expected a string");
    return std::string(v->get_string());
  };
  const auto cron = text("cron");
  const auto every = text("every");
  const auto zone = text("time_zone");
  const auto jitter_text = text("jitter");
  if (cron && every) return fail("", "give \"cron\" or \"every\", not both");
  if (!cron && !every) return fail("", "expected \"cron\" or \"every\"");
  if (zone && every) return fail("time_zone", "only a cron schedule has a time zone");
  std::chrono::seconds jitter{0};
  try {
    if (jitter_text) jitter = parse_interval(*jitter_text);
  } catch (const ScheduleError& e) {
    return fail("jitter", e.what());
  }
  if (every) {
    try {
      return Schedule::every(parse_interval(*every), jitter);
    } catch (const ScheduleError& e) {
      return fail("every", e.what());
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
