#include "host/serve/schedule/cron.hpp"

#include <array>
#include <cctype>

namespace sluice::host::serve {

namespace {

struct FieldRule {
  const char* name;
  int min;
  int max;
  // Names for the values from `min` ("jan" is 1, "sun" is 0); empty if none.
  std::array<const char*, 12> names;
  size_t name_count;
};

constexpr FieldRule kFields[5] = {
    {"minute", 0, 59, {}, 0},
    {"hour", 0, 23, {}, 0},
    {"day-of-month", 1, 31, {}, 0},
    {"month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}, 12},
    {"day-of-week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, 7},
};

class FieldParser {
 public:
  FieldParser(std::string_view whole, size_t field, size_t offset)
      : whole_(whole), field_(field), rule_(kFields[field]), offset_(offset) {}

  // Sets the bits of every value the field's text selects.
  template <size_t N>
  void parse(std::string_view text, std::bitset<N>& bits) {
    size_t start = 0;
    while (true) {
      const size_t comma = std::min(text.find(',', start), text.size());
      item(text.substr(start, comma - start), start, bits);
      if (comma == text.size()) return;
      start = comma + 1;
    }
  }

 private:
  [[noreturn]] void fail(size_t at, const std::string& what) const {
    throw ScheduleError("cron \"" + std::string(whole_) + "\": field " + std::to_string(field_ + 1) + " (" +
                        rule_.name + ") at position " + std::to_string(offset_ + at + 1) + ": " + what);
  }

  int value(std::string_view text, size_t at) const {
    if (text.empty()) fail(at, "a value is missing");
    if (std::isdigit(static_cast<unsigned char>(text[0]))) {
      int number = 0;
      for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || number > 1000) {
          fail(at, "\"" + std::string(text) + "\" is not a number");
        }
        number = number * 10 + (c - '0');
      }
      if (number < rule_.min || number > rule_.max) {
        fail(at, std::to_string(number) + " is out of range " + std::to_string(rule_.min) + "-" +
                     std::to_string(rule_.max));
      }
      return number;
    }
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < rule_.name_count; ++i) {
      if (lower == rule_.names[i]) return rule_.min + static_cast<int>(i);
    }
    if (rule_.name_count == 0) fail(at, "\"" + std::string(text) + "\" is not a number");
    fail(at, "\"" + std::string(text) + "\" is not a number or a " + (field_ == 3 ? "month" : "day") + " name (" +
                 rule_.names[0] + ".." + rule_.names[rule_.name_count - 1] + ")");
  }

  template <size_t N>
  void item(std::string_view text, size_t at, std::bitset<N>& bits) {
    if (text.empty()) fail(at, "an empty item in a list");
    std::string_view range = text;
    int step = 1;
    const size_t slash = text.find('/');
    if (slash != std::string_view::npos) {
      range = text.substr(0, slash);
      std::string_view step_text = text.substr(slash + 1);
      if (step_text.empty()) fail(at + slash + 1, "a step is missing after '/'");
      for (char c : step_text) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || step_text.size() > 3) {
          fail(at + slash + 1, "step \"" + std::string(step_text) + "\" is not a number");
        }
      }
      step = std::stoi(std::string(step_text));
      if (step < 1) fail(at + slash + 1, "step 0: a step must be 1 or more");
    }
    int first = rule_.min, last = rule_.max;
    if (range != "*") {
      const size_t dash = range.find('-');
      first = value(range.substr(0, dash), at);
      if (dash != std::string_view::npos) {
        last = value(range.substr(dash + 1), at + dash + 1);
        if (last < first) {
          fail(at, "range " + std::string(range) + " runs backwards");
        }
      } else if (slash == std::string_view::npos) {
        last = first;  // "5"; "5/10" is 5 to the field's end, every 10
      }
    }
    for (int v = first; v <= last; v += step) bits.set(static_cast<size_t>(field_ == 4 && v == 7 ? 0 : v));
  }

  std::string_view whole_;
  size_t field_;
  const FieldRule& rule_;
  size_t offset_;
};

constexpr unsigned kMaxDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression cron;
  cron.text_ = std::string(text);
  std::vector<std::pair<std::string_view, size_t>> fields;  // text, offset
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    fields.emplace_back(text.substr(start, i - start), start);
  }
  if (fields.size() != 5) {
    throw ScheduleError("cron \"" + std::string(text) +
                        "\": expected 5 fields (minute hour day-of-month month day-of-week), got " +
                        std::to_string(fields.size()));
  }
  FieldParser(text, 0, fields[0].second).parse(fields[0].first, cron.minutes_);
  FieldParser(text, 1, fields[1].second).parse(fields[1].first, cron.hours_);
  FieldParser(text, 2, fields[2].second).parse(fields[2].first, cron.days_of_month_);
  FieldParser(text, 3, fields[3].second).parse(fields[3].first, cron.months_);
  FieldParser(text, 4, fields[4].second).parse(fields[4].first, cron.days_of_week_);
  cron.wildcard_time_ = fields[0].first[0] == '*' || fields[1].first[0] == '*';
  cron.dom_star_ = fields[2].first[0] == '*';
  cron.dow_star_ = fields[4].first[0] == '*';
  if (!cron.dom_star_ && cron.dow_star_) {
    bool possible = false;
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= kMaxDays[m]; ++d) possible = possible || (cron.months_[m] && cron.days_of_month_[d]);
    }
    if (!possible) {
      throw ScheduleError("cron \"" + std::string(text) + "\": field 3 (day-of-month) at position " +
                          std::to_string(fields[2].second + 1) + ": no selected month has that day, so it never runs");
    }
  }
  return cron;
}

bool CronExpression::day_matches(std::chrono::year_month_day day) const {
  if (!months_[static_cast<unsigned>(day.month())]) return false;
  const bool dom = days_of_month_[static_cast<unsigned>(day.day())];
  const bool dow = days_of_week_[std::chrono::weekday(std::chrono::sys_days(day)).c_encoding()];
  if (dom_star_ && dow_star_) return true;
  if (dom_star_) return dow;
  if (dow_star_) return dom;
  return dom || dow;  // cron's OR rule
}

bool CronExpression::matches(LocalMinutes minute) const {
  const auto day = std::chrono::floor<std::chrono::days>(minute);
  const auto time = std::chrono::hh_mm_ss(minute - day);
  return day_matches(std::chrono::year_month_day(day)) && hours_[static_cast<size_t>(time.hours().count())] &&
         minutes_[static_cast<size_t>(time.minutes().count())];
}

std::optional<LocalMinutes> CronExpression::next_after(LocalMinutes after) const {
  using namespace std::chrono;
  const LocalMinutes start = after + minutes(1);
  local_days day = floor<days>(start);
  int from_minute = static_cast<int>((start - day).count());  // minute of the day to start at
  constexpr int kMaxDaysSearched = 28 * 366;  // every weekday/date combination recurs within 28 years
  for (int n = 0; n < kMaxDaysSearched; ++n, day += days(1), from_minute = 0) {
    if (!day_matches(year_month_day(day))) continue;
    for (int h = from_minute / 60; h < 24; ++h) {
      if (!hours_[static_cast<size_t>(h)]) continue;
      for (int m = (h == from_minute / 60 ? from_minute % 60 : 0); m < 60; ++m) {
        if (minutes_[static_cast<size_t>(m)]) return day + hours(h) + minutes(m);
      }
    }
  }
  return std::nullopt;
}

}  // namespace sluice::host::serve
