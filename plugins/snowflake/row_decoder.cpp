#include "row_decoder.hpp"

#include "sql_common/value_text.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/json_elements.hpp>

#include <charconv>
#include <cstdio>
#include <optional>

namespace snowflake {

void bad_cell(const Column& column, std::string_view cell) {
  throw sluice::Error(sluice::ErrorKind::source, "column " + column.name + " (" + column.type_name +
                                                     ") has a value that is not one: \"" +
                                                     std::string(cell.substr(0, 60)) + "\"");
}

namespace {

using sluice::support::append_json_string;
using sql_common::all_digits;
using sql_common::is_finite;
using sql_common::is_json_number;

// [-]digits[.digits]: Snowflake's FIXED text.
bool is_decimal(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  const auto point = text.find('.');
  if (point == std::string_view::npos) return all_digits(text);
  return all_digits(text.substr(0, point)) && all_digits(text.substr(point + 1));
}

void append_two(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// Epoch seconds with an optional fraction ("-12.500000000") as whole seconds
// (towards the past) and the fraction's digits (as many as sent).
struct EpochSeconds {
  int64_t seconds = 0;
  std::string fraction;
};

std::optional<EpochSeconds> parse_epoch(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction))) return std::nullopt;
  EpochSeconds out;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), out.seconds);
  if (ec != std::errc() || end != whole.data() + whole.size()) return std::nullopt;
  // Beyond ±10^13 s (year ~318,000) no Snowflake timestamp lies, and the
  // calendar arithmetic below would overflow.
  if (out.seconds >= 10'000'000'000'000) return std::nullopt;
  out.fraction = std::string(fraction);
  if (negative) {
    out.seconds = -out.seconds;
    if (fraction.find_first_not_of('0') != std::string_view::npos) {
      // -1.25 is -2 + 0.75: one second back, the fraction's complement 10^n - f.
      --out.seconds;
      int borrow = 0;
      for (size_t i = out.fraction.size(); i-- > 0;) {
        int digit = -(out.fraction[i] - '0') - borrow;
        borrow = digit < 0;
        if (borrow) digit += 10;
        out.fraction[i] = static_cast<char>('0' + digit);
      }
    }
  }
  return out;
}

void append_civil(std::string& out, int64_t days) {
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-", static_cast<long long>(year));
  out += buffer;
  append_two(out, month);
  out.push_back('-');
  append_two(out, day);
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// HH:MM:SS[.fraction] of a second of the day.
void append_clock(std::string& out, int64_t second_of_day, const std::string& fraction) {
  append_two(out, second_of_day / 3600);
  out.push_back(':');
  append_two(out, second_of_day / 60 % 60);
  out.push_back(':');
  append_two(out, second_of_day % 60);
  if (!fraction.empty()) {
    out.push_back('.');
    out += fraction;
  }
}

// YYYY-MM-DDTHH:MM:SS[.fraction] of epoch seconds.
void append_date_time(std::string& out, const EpochSeconds& t) {
  const int64_t days = floor_div(t.seconds, 86400);
  append_civil(out, days);
  out.push_back('T');
  append_clock(out, t.seconds - days * 86400, t.fraction);
}

void append_base64_of_hex(std::string& out, std::string_view hex, const Column& column) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto nibble = [&](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    bad_cell(column, hex);
  };
  if (hex.size() % 2 != 0) bad_cell(column, hex);
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) bytes.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  out.push_back('"');
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[v >> 6 & 63] : '=');
    out.push_back('=');
  }
  out.push_back('"');
}

// The value text of a cell that is a string, without quotes for strings.
void append_value(std::string& out, std::string_view cell, const Column& column) {
  switch (column.kind) {
    case Kind::fixed:
      if (!is_decimal(cell)) bad_cell(column, cell);
      if (is_integer(column) && is_json_number(cell)) {
        out += cell;
      } else {
        out.push_back('"');
        out += cell;
        out.push_back('"');
      }
      return;
    case Kind::real:
      // NaN and ±inf have no JSON number: they stay strings.
      if (is_json_number(cell) && is_finite(cell)) {
        out += cell;
      } else {
        append_json_string(out, cell);
      }
      return;
    case Kind::boolean:
      if (cell == "true" || cell == "1") {
        out += "true";
      } else if (cell == "false" || cell == "0") {
        out += "false";
      } else {
        bad_cell(column, cell);
      }
      return;
    case Kind::date: {
      int64_t days = 0;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), days);
      if (ec != std::errc() || end != cell.data() + cell.size() || days > 4'000'000'000 || days < -4'000'000'000) {
        bad_cell(column, cell);
      }
      out.push_back('"');
      append_civil(out, days);
      out.push_back('"');
      return;
    }
    case Kind::time: {
      auto t = parse_epoch(cell);
      if (!t || t->seconds < 0 || t->seconds >= 86400) bad_cell(column, cell);
      out.push_back('"');
      append_clock(out, t->seconds, t->fraction);
      out.push_back('"');
      return;
    }
    case Kind::timestamp_ntz:
    case Kind::timestamp_ltz: {
      auto t = parse_epoch(cell);
      if (!t) bad_cell(column, cell);
      out.push_back('"');
      append_date_time(out, *t);
      if (column.kind == Kind::timestamp_ltz) out.push_back('Z');
      out.push_back('"');
      return;
    }
    case Kind::timestamp_tz: {
      // "<epoch seconds> <offset minutes + 1440>": shown at its own offset.
      const auto space = cell.find(' ');
      if (space == std::string_view::npos) bad_cell(column, cell);
      auto t = parse_epoch(cell.substr(0, space));
      int64_t encoded = 0;
      const auto zone = cell.substr(space + 1);
      auto [end, ec] = std::from_chars(zone.data(), zone.data() + zone.size(), encoded);
      if (!t || ec != std::errc() || end != zone.data() + zone.size() || encoded < 0 || encoded > 2880) {
        bad_cell(column, cell);
      }
      const int64_t offset = encoded - 1440;
      EpochSeconds local = *t;
      local.seconds += offset * 60;
      out.push_back('"');
      append_date_time(out, local);
      out.push_back(offset < 0 ? '-' : '+');
      append_two(out, std::abs(offset) / 60);
      out.push_back(':');
      append_two(out, std::abs(offset) % 60);
      out.push_back('"');
      return;
    }
    case Kind::binary: append_base64_of_hex(out, cell, column); return;
    case Kind::variant:
    case Kind::object:
    case Kind::array:
    case Kind::geography:
    case Kind::geometry: {
      // JSON text, possibly pretty-printed: one line again.
      // Validated, then copied without the whitespace between tokens: its
      // numbers stay as written (no double in between).
      json::error_code ec;
      json::parse(cell, ec);
      if (ec) {
        append_json_string(out, cell);
      } else {
        sql_common::append_compact_json(out, cell);
      }
      return;
    }
    case Kind::text:
    case Kind::unknown: append_json_string(out, cell); return;
  }
}

}  // namespace

void append_cell_value(std::string& out, std::optional<std::string_view> cell, const Column& column) {
  if (cell) append_value(out, *cell, column);
  else out += "null";
}

std::vector<std::string> column_names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& column : columns) names.push_back(column.name);
  return names;
}

RowFormat::RowFormat(const std::vector<Column>& columns, sql_common::RowShape shape)
    : sql_common::RowFormat(column_names(columns), shape), columns_(columns) {}

void RowFormat::append_cell(std::string& out, std::optional<std::string_view> cell, size_t column) const {
  append_cell_value(out, cell, columns_[column]);
}
void RowFormat::refuse_cell(size_t column, std::string_view json) const { bad_cell(columns_[column], json); }
void RowFormat::refuse_row() const { row_shape_error(columns_.size()); }

void row_shape_error(size_t columns) {
  throw sluice::Error(sluice::ErrorKind::source,
                      "a result row does not have the " + std::to_string(columns) + " cells of its rowType");
}

void decode_rows(const json::array& data, const std::vector<Column>& columns, DecodedRows& out,
                 sql_common::RowShape shape) {
  sql_common::decode_row_array(data, RowFormat(columns, shape), out);
}

std::string decode_cell(const json::value& cell, const Column& column) {
  std::string out;
  if (cell.is_null()) {
    out = "null";
  } else if (const auto* text = cell.if_string()) {
    append_cell_value(out, std::string_view(*text), column);
  } else {
    bad_cell(column, json::serialize(cell));
  }
  return out;
}

std::optional<std::string> cell_text(std::optional<std::string_view> cell, const Column& column) {
  if (!cell) return std::nullopt;
  std::string text;
  append_cell_value(text, cell, column);
  if (text.size() >= 2 && text.front() == '"') {
    json::value parsed = json::parse(text);
    return std::string(parsed.get_string());
  }
  return text;
}

std::string civil_date(int64_t days) {
  std::string out;
  append_civil(out, days);
  return out;
}

}  // namespace snowflake
