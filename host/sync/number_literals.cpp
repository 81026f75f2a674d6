#include "host/sync/number_literals.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <vector>

namespace sluice::host {

namespace {

constexpr std::string_view kMarker = "\x1f#";
constexpr std::string_view kSerializedMarker = "\"\\u001f#";  // how Boost.JSON writes it

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// A decimal as significant digits (no leading or trailing zeros) and the
// power of ten of the last one; zero is {"", 0}. Sign kept separately.
// Digits live in a fixed buffer (this runs for every long literal of every
// record): a double's shortest form has at most 17 significant digits, so
// a literal with more than kMaxDigits never equals one and is only marked
// `too_long`.
struct Decimal {
  static constexpr size_t kMaxDigits = 24;
  bool negative = false;
  bool too_long = false;
  size_t size = 0;
  char digits[kMaxDigits] = {};
  long exponent = 0;

  void push(char digit) {
    if (size < kMaxDigits) digits[size++] = digit;
    else too_long = true;
  }
  // Equal values; a too-long decimal equals nothing.
  bool same(const Decimal& other) const {
    return !too_long && !other.too_long && negative == other.negative && exponent == other.exponent &&
           size == other.size && std::memcmp(digits, other.digits, size) == 0;
  }
};

Decimal canonical(std::string_view text) {
  Decimal out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  long fraction_digits = 0;
  long pending_zeros = 0;  // zeros after the last non-zero digit: trailing unless one follows
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (in_fraction) ++fraction_digits;
    if (text[i] == '0') {
      if (out.size > 0) ++pending_zeros;  // leading zeros are dropped
      continue;
    }
    for (; pending_zeros > 0; --pending_zeros) out.push('0');
    out.push(text[i]);
  }
  long exponent = 0;
  if (i < text.size()) {
    std::string_view rest = text.substr(i + 1);
    if (!rest.empty() && rest[0] == '+') rest.remove_prefix(1);
    std::from_chars(rest.data(), rest.data() + rest.size(), exponent);
  }
  out.exponent = exponent - fraction_digits + pending_zeros;
  if (out.size == 0) out = Decimal{};  // every zero is the same zero
  return out;
}

bool fits_64_bit_integer(std::string_view literal) {
  if (literal.find_first_of(".eE") != std::string_view::npos) return false;
  if (literal[0] == '-') {
    int64_t value;
    auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    return ec == std::errc() && end == literal.data() + literal.size();
  }
  uint64_t value;
  auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  return ec == std::errc() && end == literal.data() + literal.size();
}

// The JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Malformed literals are left alone for the parser to reject.
bool is_inexact(std::string_view literal) {
  size_t digit_count = 0;
  bool has_exponent = false;
  for (char c : literal) {
    digit_count += c >= '0' && c <= '9';
    has_exponent = has_exponent || c == 'e' || c == 'E';
  }
  if (digit_count <= 15 && !has_exponent) return false;  // a double holds 15 digits exactly
  if (!is_json_number(literal)) return false;
  if (fits_64_bit_integer(literal)) return false;
  double value = 0;
  auto parsed = std::from_chars(literal.data(), literal.data() + literal.size(), value);
  if (parsed.ec != std::errc() || !std::isfinite(value)) return true;  // out of range
  char text[64];
  auto written = std::to_chars(text, text + sizeof text, value);
  const std::string_view shortest(text, static_cast<size_t>(written.ptr - text));
  if (shortest == literal) return false;
  return !canonical(literal).same(canonical(shortest));
}

// The index of the quote closing the string whose text starts at `from`
// (line.size() if none): memchr finds each candidate, and a quote is escaped
// when an odd run of backslashes precedes it. Strings are most of a record's
// bytes, so they are skipped at memchr speed.
size_t closing_quote(std::string_view line, size_t from) {
  while (from < line.size()) {
    const void* found = std::memchr(line.data() + from, '"', line.size() - from);
    if (!found) return line.size();
    size_t quote = static_cast<size_t>(static_cast<const char*>(found) - line.data());
    size_t backslashes = 0;
    while (quote - backslashes > from && line[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote;
    from = quote + 1;
  }
  return line.size();
}

// Calls found(begin, end) for each number literal of `line` outside strings.
template <typename Found>
void for_each_literal(std::string_view line, Found&& found) {
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      i = closing_quote(line, i + 1);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < line.size() && is_number_char(line[end])) ++end;
      found(i, end);
      i = end - 1;
    }
  }
}

}  // namespace

bool has_inexact_number(std::string_view line) {
  bool any = false;
  for_each_literal(line, [&](size_t begin, size_t end) {
    any = any || is_inexact(line.substr(begin, end - begin));
  });
  return any;
}

std::string mark_inexact_numbers(std::string_view line) {
  std::string out;
  size_t copied = 0;
  for_each_literal(line, [&](size_t begin, size_t end) {
    std::string_view literal = line.substr(begin, end - begin);
    if (!is_inexact(literal)) return;
    out.append(line.substr(copied, begin - copied));
    out += "\"\\u001f#";
    out.append(literal);
    out += '"';
    copied = end;
  });
  out.append(line.substr(copied));
  return out;
}

std::optional<std::string_view> marked_number(std::string_view text) {
  if (text.substr(0, kMarker.size()) != kMarker) return std::nullopt;
  return text.substr(kMarker.size());
}

void unmark_numbers(std::string& json_text) {
  for (size_t at = json_text.find(kSerializedMarker); at != std::string::npos;
       at = json_text.find(kSerializedMarker, at)) {
    size_t close = json_text.find('"', at + kSerializedMarker.size());
    if (close == std::string::npos) return;
    json_text.erase(close, 1);
    json_text.erase(at, kSerializedMarker.size());
  }
}

}  // namespace sluice::host
