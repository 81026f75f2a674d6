#include "key_ranges.hpp"

#include <algorithm>

namespace sql_common {

std::vector<KeyRange> key_ranges(int64_t min, int64_t max, int64_t parts) {
  parts = std::max<int64_t>(parts, 1);
  // Widths in unsigned arithmetic: max - min may not fit an int64.
  const auto span = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);
  const uint64_t width = std::max<uint64_t>(span / static_cast<uint64_t>(parts), 1);
  std::vector<KeyRange> ranges;
  std::optional<int64_t> low;
  for (int64_t i = 1; i < parts; ++i) {
    const uint64_t offset = width * static_cast<uint64_t>(i);
    if (offset > span) break;
    const auto high = static_cast<int64_t>(static_cast<uint64_t>(min) + offset);
    ranges.push_back({low, high});
    low = high;
  }
  ranges.push_back({low, std::nullopt});
  return ranges;
}

}  // namespace sql_common
