// "Did you mean ...?" for names a person or a plugin author mistyped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// The candidate nearest to `word` by edit distance (insertions, deletions,
// substitutions and swaps of two neighbours each count one), when it is near
// enough to be a typo: at most one edit for words of up to five characters,
// two for longer ones. Ties go to the earlier candidate; nullopt when none
// is near or `word` is itself a candidate.
std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sluice::host
