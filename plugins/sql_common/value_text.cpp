#include "value_text.hpp"

#include <charconv>
#include <sluice/support/json_elements.hpp>

namespace sql_common {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The length of the valid UTF-8 sequence at text[i] (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or 0.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, low = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, high = 0x9F;
  else if (c == 0xF0) n = 4, low = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, high = 0x8F;
  else return 0;
  if (i + n > text.size()) return 0;
  const auto second = static_cast<unsigned char>(text[i + 1]);
  if (second < low || second > high) return 0;
  for (size_t k = 2; k < n; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if (next < 0x80 || next > 0xBF) return 0;
  }
  return n;
}

// Appends the base64 of up to three bytes (n of them).
void append_group(std::string& out, const unsigned char* b, size_t n) {
  const unsigned v = (unsigned{b[0]} << 16) | (n > 1 ? unsigned{b[1]} << 8 : 0u) | (n > 2 ? unsigned{b[2]} : 0u);
  out.push_back(kBase64[(v >> 18) & 63]);
  out.push_back(kBase64[(v >> 12) & 63]);
  out.push_back(n > 1 ? kBase64[(v >> 6) & 63] : '=');
  out.push_back(n > 2 ? kBase64[v & 63] : '=');
}

}  // namespace

void append_base64(std::string& out, std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) append_group(out, data + i, 3);
  if (i < bytes.size()) append_group(out, data + i, bytes.size() - i);
}

bool append_base64_of_hex(std::string& out, std::string_view hex) {
  if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x' || hex.size() % 2 != 0) return false;
  const size_t start = out.size();
  unsigned char group[3];
  size_t n = 0;
  for (size_t i = 2; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]), low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0) {
      out.resize(start);
      return false;
    }
    group[n++] = static_cast<unsigned char>(high * 16 + low);
    if (n == 3) {
      append_group(out, group, 3);
      n = 0;
    }
  }
  if (n > 0) append_group(out, group, n);
  return true;
}

void append_compact_json(std::string& out, std::string_view json) {
  bool in_string = false;
  size_t run = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character is part of the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      out.append(json.data() + run, i - run);
      run = i + 1;
    }
  }
  out.append(json.data() + run, json.size() - run);
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_json_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

bool is_finite(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && value - value == 0;
}

void append_text(std::string& out, std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = utf8_sequence(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i == text.size()) {
    sluice::support::append_json_string(out, text);
    return;
  }
  std::string repaired(text.substr(0, i));
  while (i < text.size()) {
    const size_t n = utf8_sequence(text, i);
    if (n == 0) {
      repaired += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      repaired.append(text.substr(i, n));
      i += n;
    }
  }
  sluice::support::append_json_string(out, repaired);
}

}  // namespace sql_common
