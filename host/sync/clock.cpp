#include "host/sync/clock.hpp"

#include <sluice/support/timestamp.hpp>

#include <chrono>
#include <cstdio>
#include <random>

namespace sluice::host {

std::string utc_now_iso() {
  auto now = std::chrono::system_clock::now();
  return support::format_rfc3339(
      {std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count()});
}

std::string new_sync_id() {
  std::string now = utc_now_iso();
  std::random_device random;
  char suffix[20];  // 8 hex digits of 32 random bits
  std::snprintf(suffix, sizeof suffix, "%08x", random());
  return now.substr(0, 19) + "Z-" + suffix;
}

}  // namespace sluice::host
