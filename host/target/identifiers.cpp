#include "host/target/identifiers.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>

namespace sluice::host {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = static_cast<unsigned char>(s[i]);
  size_t length = byte >= 0xF0 && byte <= 0xF4 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 ? 2 : 0;
  if (byte >= 0xF8 || length == 0 || i + length > s.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

uint32_t fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
  return hash;
}

// Cuts to at most max_bytes without splitting a UTF-8 sequence.
std::string cut_on_boundary(const std::string& text, size_t max_bytes) {
  size_t end = std::min(max_bytes, text.size());
  while (end > 0 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string normalize_identifier(std::string_view name, size_t max_bytes) {
  std::string out;
  out.reserve(name.size());
  auto push_underscore = [&] {
    if (!out.empty() && out.back() != '_') out.push_back('_');
  };
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(static_cast<char>(c));
      else push_underscore();
      ++i;
      continue;
    }
    size_t length = utf8_sequence_length(name, i);
    if (length == 0) {
      push_underscore();
      ++i;
    } else {
      out.append(name.substr(i, length));
      i += length;
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "_";
  if (out[0] >= '0' && out[0] <= '9') out.insert(out.begin(), '_');
  if (out.size() > max_bytes) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "_%08x", fnv1a(name));
    out = cut_on_boundary(out, max_bytes - 9) + suffix;
  }
  return out;
}

std::string quote_identifier(const std::string& identifier, char quote) {
  std::string out(1, quote);
  for (char c : identifier) {
    out += c;
    if (c == quote) out += quote;
  }
  return out + quote;
}

std::string fit_identifier(const std::string& name, size_t max_bytes) {
  if (name.size() <= max_bytes) return name;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "_%08x", fnv1a(name));
  return cut_on_boundary(name, max_bytes - 9) + suffix;
}

std::vector<std::string> unique_identifiers(const std::vector<std::string>& names,
                                            const std::vector<std::string>& reserved,
                                            size_t max_bytes) {
  std::set<std::string> taken(reserved.begin(), reserved.end());
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const auto& name : names) {
    std::string base = normalize_identifier(name, max_bytes);
    std::string candidate = base;
    for (int n = 2; taken.count(candidate); ++n) {
      std::string suffix = "_" + std::to_string(n);
      candidate = cut_on_boundary(base, max_bytes - suffix.size()) + suffix;
    }
    taken.insert(candidate);
    out.push_back(candidate);
  }
  return out;
}

}  // namespace sluice::host
