#include "iso_millis.hpp"

#include <sluice/civil_date.hpp>

#include <cstdio>

namespace auth0 {

namespace {

bool number(std::string_view text, size_t at, size_t width, int& out) {
  if (at + width > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int64_t> parse_iso_millis(std::string_view text) {
  int y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
  if (!number(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !number(text, 5, 2, mo) || text[7] != '-' ||
      !number(text, 8, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  if (text.size() > 10) {
    if (text[10] != 'T' || !number(text, 11, 2, h) || text[13] != ':' || !number(text, 14, 2, mi) ||
        text.size() < 19 || text[16] != ':' || !number(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
      return std::nullopt;
    }
    size_t at = 19;
    if (at < text.size() && text[at] == '.') {
      int scale = 100;
      for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10) {
        ms += (text[at] - '0') * scale;
      }
    }
    if (text.substr(at) != "Z" && text.substr(at) != "+00:00") return std::nullopt;
  }
  const int64_t days = sluice::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

std::string format_iso_millis(int64_t millis) {
  int64_t days = millis >= 0 ? millis / 86400000 : (millis - 86399999) / 86400000;
  int64_t rest = millis - days * 86400000;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  sluice::civil_from_days(days, year, month, day);
  char text[96];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(year), month,
                day, static_cast<long long>(rest / 3600000), static_cast<long long>(rest / 60000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return text;
}

}  // namespace auth0
