#include "table_filter.hpp"

namespace sql_common {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative with one backtrack point: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool TableFilter::accepts(std::string_view schema, std::string_view table) const {
  std::string full(schema);
  full += '.';
  full += table;
  for (const auto& pattern : exclude) {
    if (glob_match(pattern, full)) return false;
  }
  if (include.empty()) return true;
  for (const auto& pattern : include) {
    if (glob_match(pattern, full)) return true;
  }
  return false;
}

}  // namespace sql_common
