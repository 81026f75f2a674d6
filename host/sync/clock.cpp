#include "host/sync/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace sluice::host {

std::string utc_now_iso() {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];  // sized for any int the compiler can imagine, not just real dates
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(micros % 1000000));
  return text;
}

std::string new_sync_id() {
  std::string now = utc_now_iso();
  std::random_device random;
  char suffix[20];  // 8 hex digits of 32 random bits
  std::snprintf(suffix, sizeof suffix, "%08x", random());
  return now.substr(0, 19) + "Z-" + suffix;
}

}  // namespace sluice::host
