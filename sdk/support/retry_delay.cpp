#include "retry_delay.hpp"

#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <charconv>
#include <random>

namespace sluice::support::detail {

namespace {

std::optional<long long> integer(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The most seconds any server number stands for, as a wait or as a time
// since the epoch: 2^32 s (year 2106). Past it a wait's milliseconds, or the
// system clock's nanoseconds (they end in 2262), could overflow; UBSan caught
// 2^40. A wait that long is refused as such anyway.
constexpr long long kLongestServerSeconds = 1LL << 32;

// A wait of `secs` seconds, clamped to [0, kLongestServerSeconds].
std::chrono::milliseconds seconds_wait(long long secs) {
  return std::chrono::milliseconds(std::clamp<long long>(secs, 0, kLongestServerSeconds) * 1000);
}

}  // namespace

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const auto ceiling =
      std::min<long long>(policy.initial_backoff.count() << doublings, policy.max_backoff.count());
  std::uniform_int_distribution<long long> pick(ceiling / 2, std::max<long long>(ceiling, 1));
  return std::chrono::milliseconds(pick(random));
}

std::optional<std::chrono::milliseconds> server_delay(const HttpResponse& response,
                                                      std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const auto now_s = duration_cast<seconds>(now.time_since_epoch()).count();
  if (auto retry_after = response.header("Retry-After"); !retry_after.empty()) {
    if (auto secs = integer(retry_after)) return seconds_wait(*secs);
    Poco::DateTime date;
    int tz = 0;
    if (Poco::DateTimeParser::tryParse(retry_after, date, tz)) {
      return seconds_wait(static_cast<long long>(date.timestamp().epochTime()) - tz - now_s);
    }
  }
  if (auto reset = integer(response.header("X-RateLimit-Reset"))) {
    // The reset clamped first, so that a hostile one minus now cannot
    // overflow; twice the longest still waits the longest.
    return seconds_wait(std::clamp<long long>(*reset, 0, 2 * kLongestServerSeconds) - now_s);
  }
  return std::nullopt;
}

std::optional<RateBudget> server_budget(const HttpResponse& response) {
  const auto remaining = integer(response.header("X-RateLimit-Remaining"));
  const auto reset = integer(response.header("X-RateLimit-Reset"));
  if (!remaining || !reset) return std::nullopt;
  RateBudget budget;
  budget.limit = std::max<long long>(integer(response.header("X-RateLimit-Limit")).value_or(0), 0);
  budget.remaining = std::max<long long>(*remaining, 0);
  const std::chrono::seconds reset_at(std::clamp<long long>(*reset, 0, kLongestServerSeconds));
  budget.reset = std::chrono::system_clock::time_point(reset_at);
  return budget;
}

}  // namespace sluice::support::detail
