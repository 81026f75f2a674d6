// sluice/detail/rfc3339_format.hpp -- the body of support::append_rfc3339
// (declared for authors in <sluice/support/timestamp.hpp>). Header-only so
// the SDK core (a typed TIMESTAMP cell sent to a host older than ABI 1.4 as
// its text) and the support library share the one formatter without the SDK
// core linking the support library.
#ifndef SLUICE_DETAIL_RFC3339_FORMAT_HPP_
#define SLUICE_DETAIL_RFC3339_FORMAT_HPP_

#include <sluice/detail/civil_date.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

namespace sluice::support::detail {

// The instants RFC 3339 text holds with a four-digit year, 0001-01-01T00:00:00Z
// up to, not including, 10000-01-01T00:00:00Z: what parse_rfc3339 accepts
// and what a TIMESTAMP cell (ABI 1.4) may hold.
inline constexpr int64_t kMicrosPerDay = 86'400'000'000;
inline constexpr int64_t kFirstMicros = days_from_civil(1, 1, 1) * kMicrosPerDay;
inline constexpr int64_t kEndMicros = days_from_civil(10000, 1, 1) * kMicrosPerDay;

// Writes the last `width` decimal digits of `value` (>= 0) at `at`, zero
// padded, and moves `at` past them.
inline void put_digits(char*& at, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
  at += width;
}

// YYYY-MM-DDTHH:MM:SS.ffffffZ of `micros` since the epoch, UTC, with
// `fraction_digits` digits (0-6), cut towards the past.
inline void append_rfc3339_micros(std::string& out, int64_t micros, int fraction_digits) {
  constexpr int64_t kMicrosPerSecond = 1'000'000;
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  const auto [year, month, day] = civil_from_days(days);
  const int64_t seconds = rest / kMicrosPerSecond;
  char text[64];
  char* at = text;
  if (year >= 0 && year <= 9999) put_digits(at, year, 4);
  else at += std::snprintf(at, 24, "%05lld", static_cast<long long>(year));  // -0001, 10000
  *at++ = '-';
  put_digits(at, month, 2);
  *at++ = '-';
  put_digits(at, day, 2);
  *at++ = 'T';
  put_digits(at, seconds / 3600, 2);
  *at++ = ':';
  put_digits(at, seconds / 60 % 60, 2);
  *at++ = ':';
  put_digits(at, seconds % 60, 2);
  if (fraction_digits > 0) {
    const int kept = fraction_digits < 6 ? fraction_digits : 6;
    int64_t fraction = rest % kMicrosPerSecond;
    for (int i = kept; i < 6; ++i) fraction /= 10;
    *at++ = '.';
    put_digits(at, fraction, kept);
  }
  *at++ = 'Z';
  out.append(text, at);
}

}  // namespace sluice::support::detail

#endif  // SLUICE_DETAIL_RFC3339_FORMAT_HPP_
