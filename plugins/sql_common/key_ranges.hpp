// Splitting a table by a single integer key into ranges read in parallel:
// the first and last ranges open, so keys outside [min, max] at planning
// time are still read.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace sql_common {

struct KeyRange {
  std::optional<int64_t> low, high;  // [low, high); nullopt: unbounded
};

// `parts` ranges of about equal width over [min, max] (fewer when the keys
// are fewer), the first and last open. Works across the whole int64 line.
std::vector<KeyRange> key_ranges(int64_t min, int64_t max, int64_t parts);

}  // namespace sql_common
