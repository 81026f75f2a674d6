#include "column_names.hpp"

#include <set>

namespace gsheets {

namespace {

constexpr size_t kMaxNameBytes = 100;

bool is_space(unsigned char c) { return c <= 0x20 || c == 0x7f; }
bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

std::string cleaned(const std::string& text, NameRule rule) {
  std::string out;
  bool gap = false;
  for (unsigned char c : text) {
    const bool separator = rule == NameRule::header ? is_space(c) : !is_word(c);
    if (separator) {
      gap = !out.empty();
      continue;
    }
    if (gap) out.push_back(rule == NameRule::header ? ' ' : '_');
    gap = false;
    out.push_back(rule == NameRule::snake_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                                                       : static_cast<char>(c));
  }
  if (out.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
    out.resize(cut);
  }
  return out;
}

std::string folded(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

std::vector<std::string> column_names(const std::vector<std::string>& headers, size_t width, NameRule rule) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // folded
  for (size_t i = 0; i < width; ++i) {
    std::string name = cleaned(i < headers.size() ? headers[i] : std::string(), rule);
    if (name.empty() || folded(name).rfind("_sluice", 0) == 0) name = "column_" + std::to_string(i + 1);
    if (taken.contains(folded(name))) {
      for (int suffix = 2;; ++suffix) {
        std::string candidate = name + "_" + std::to_string(suffix);
        if (!taken.contains(folded(candidate))) {
          name = std::move(candidate);
          break;
        }
      }
    }
    taken.insert(folded(name));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace gsheets
