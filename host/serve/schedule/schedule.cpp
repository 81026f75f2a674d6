#include "host/serve/schedule/schedule.hpp"

#include <date/tz.h>

namespace sluice::host::serve {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr seconds kMinInterval{60};
constexpr seconds kMaxInterval{31 * 24 * 3600};

// date's local_time and the standard one count the same minutes.
date::local_seconds to_date_local(LocalMinutes t) { return date::local_seconds(t.time_since_epoch()); }

LocalMinutes to_std_local(std::chrono::seconds since_epoch) {
  return LocalMinutes(std::chrono::floor<minutes>(since_epoch));
}

}  // namespace

std::chrono::seconds jitter_offset(std::string_view seed, std::chrono::seconds jitter) {
  if (jitter.count() <= 0) return seconds(0);
  uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (unsigned char c : seed) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return seconds(static_cast<int64_t>(hash % static_cast<uint64_t>(jitter.count())));
}

Schedule Schedule::cron(std::string_view expression, std::string_view time_zone, std::chrono::seconds jitter) {
  Cron rule{CronExpression::parse(expression), std::string(time_zone), nullptr};
  try {
    rule.tz = date::locate_zone(time_zone);
  } catch (const std::exception&) {
    throw ScheduleError("time zone \"" + std::string(time_zone) + "\": unknown (not in /usr/share/zoneinfo)");
  }
  if (jitter < seconds(0)) throw ScheduleError("jitter: must not be negative");
  Schedule schedule;
  schedule.rule_ = std::move(rule);
  schedule.jitter_ = jitter;
  return schedule;
}

Schedule Schedule::every(std::chrono::seconds interval, std::chrono::seconds jitter) {
  if (interval < kMinInterval || interval > kMaxInterval) {
    throw ScheduleError("interval " + std::to_string(interval.count()) + "s: must be from 1 minute to 31 days");
  }
  if (jitter < seconds(0)) throw ScheduleError("jitter: must not be negative");
  Schedule schedule;
  schedule.rule_ = interval;
  schedule.jitter_ = std::min(jitter, interval);
  return schedule;
}

std::optional<TimePoint> Schedule::next_cron(const Cron& cron, TimePoint after) const {
  const date::time_zone& tz = *cron.tz;
  if (cron.expression.wildcard_time()) {
    // Follow the wall clock: walk the zone's periods of constant offset
    // from `after`; in each, the first matching local minute that still
    // falls inside it wins. A repeated hour is a second period whose local
    // minutes match again; a skipped one has no local minutes at all.
    TimePoint from = after;
    bool first = true;
    for (int period = 0; period < 200; ++period) {
      const date::sys_info info = tz.get_info(from);
      const seconds local = (from + info.offset).time_since_epoch();
      // In the first period minutes after `after`; later ones from their start.
      const LocalMinutes start = first ? to_std_local(local) : to_std_local(local + seconds(59)) - minutes(1);
      const auto match = cron.expression.next_after(start);
      if (!match) return std::nullopt;
      const TimePoint instant = TimePoint(match->time_since_epoch()) - info.offset;
      if (instant < info.end) return instant;
      from = info.end;
      first = false;
    }
    return std::nullopt;
  }
  // A fixed time of day runs once per matching day: in a gap at the jump,
  // in a repeated hour at the first occurrence.
  LocalMinutes cursor = to_std_local(tz.to_local(after).time_since_epoch());
  for (int n = 0; n < 10000; ++n) {
    const auto match = cron.expression.next_after(cursor);
    if (!match) return std::nullopt;
    const date::local_info info = tz.get_info(to_date_local(*match));
    TimePoint instant{};
    switch (info.result) {
      case date::local_info::unique:
      case date::local_info::ambiguous:  // first is the earlier period
        instant = TimePoint(match->time_since_epoch()) - info.first.offset;
        break;
      case date::local_info::nonexistent:
        instant = info.second.begin;
        break;
    }
    if (instant > after) return instant;
    cursor = *match;
  }
  return std::nullopt;
}

std::optional<TimePoint> Schedule::next_after(TimePoint after, std::string_view seed) const {
  const seconds offset = jitter_offset(seed, jitter_);
  if (const auto* interval = std::get_if<seconds>(&rule_)) {
    // Slots at k * interval + offset since the epoch; the first after `after`.
    const int64_t since = (after - offset).time_since_epoch().count();
    const int64_t step = interval->count();
    const int64_t k = (since >= 0 ? since / step : -((-since + step - 1) / step)) + 1;
    return TimePoint(seconds(k * step)) + offset;
  }
  auto slot = next_cron(std::get<Cron>(rule_), after - offset);
  if (!slot) return std::nullopt;
  return *slot + offset;
}

std::string Schedule::describe() const {
  std::string text;
  if (const auto* interval = std::get_if<seconds>(&rule_)) {
    text = "every " + std::to_string(interval->count()) + "s";
  } else {
    const auto& cron = std::get<Cron>(rule_);
    text = "cron " + cron.expression.text() + " " + cron.zone;
  }
  if (jitter_.count() > 0) text += " jitter " + std::to_string(jitter_.count()) + "s";
  return text;
}

}  // namespace sluice::host::serve
