#include "fake_values.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace snowflake_fake {

namespace json = boost::json;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

Resolved resolve(const std::string& ddl) {
  std::string base = upper(ddl.substr(0, ddl.find('(')));
  std::vector<int64_t> args;
  if (auto open = ddl.find('('); open != std::string::npos) {
    std::string inside = ddl.substr(open + 1, ddl.find(')') - open - 1);
    size_t start = 0;
    while (start <= inside.size()) {
      auto comma = inside.find(',', start);
      args.push_back(std::stoll(inside.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  Resolved r;
  if (base == "NUMBER" || base == "DECIMAL" || base == "NUMERIC" || base == "INT" || base == "INTEGER" ||
      base == "BIGINT") {
    r.data_type = "NUMBER";
    r.row_type = "fixed";
    r.precision = args.size() > 0 ? args[0] : 38;
    r.scale = args.size() > 1 ? args[1] : 0;
    r.sqlite_type = r.scale == 0 && r.precision <= 18 ? "INTEGER" : "TEXT";
  } else if (base == "FLOAT" || base == "DOUBLE" || base == "REAL") {
    r = {"FLOAT", "real", 0, 0, 0, "REAL"};
  } else if (base == "VARCHAR" || base == "TEXT" || base == "STRING") {
    r = {"TEXT", "text", 0, 0, args.empty() ? 16777216 : args[0], "TEXT"};
  } else if (base == "BOOLEAN") {
    r = {"BOOLEAN", "boolean", 0, 0, 0, "INTEGER"};
  } else if (base == "DATE") {
    r = {"DATE", "date", 0, 0, 0, "TEXT"};
  } else if (base == "TIME" || base == "TIMESTAMP_NTZ" || base == "DATETIME" || base == "TIMESTAMP_LTZ" ||
             base == "TIMESTAMP_TZ") {
    const std::string name = base == "DATETIME" ? "TIMESTAMP_NTZ" : base;
    // TIMESTAMP_TZ values compare by instant, whatever their offsets.
    r = {name, lower(name), 0, args.empty() ? 9 : args[0], 0, name == "TIMESTAMP_TZ" ? "TEXT COLLATE SF_INSTANT" : "TEXT"};
  } else if (base == "VARIANT" || base == "OBJECT" || base == "ARRAY" || base == "GEOGRAPHY") {
    r = {base, lower(base), 0, 0, 0, "TEXT"};
  } else if (base == "BINARY") {
    r = {"BINARY", "binary", 0, 0, 8388608, "BLOB"};
  } else {
    throw std::invalid_argument("the fake has no type " + ddl);
  }
  return r;
}

// --- civil time -------------------------------------------------------------

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static bool digits_at(const std::string& s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "YYYY-MM-DD" then `sep`, "HH:MM:SS[.f...]" from `pos`; seconds since the
// epoch (or the day), fraction digits; what follows in `rest`.
namespace {
struct Parsed {
  int64_t seconds = 0;
  std::string fraction;
  std::string rest;
};
}  // namespace

static std::optional<Parsed> parse_clock(const std::string& s, size_t pos) {
  int64_t h, mi, se;
  if (!digits_at(s, pos, 2, h) || s[pos + 2] != ':' || !digits_at(s, pos + 3, 2, mi) || s[pos + 5] != ':' ||
      !digits_at(s, pos + 6, 2, se) || h > 23 || mi > 59 || se > 59) {
    return std::nullopt;
  }
  Parsed p;
  p.seconds = h * 3600 + mi * 60 + se;
  size_t i = pos + 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') p.fraction.push_back(s[i++]);
  }
  p.rest = s.substr(i);
  return p;
}

static std::optional<int64_t> parse_day(const std::string& s) {
  int64_t y, m, d;
  if (s.size() < 10 || !digits_at(s, 0, 4, y) || s[4] != '-' || !digits_at(s, 5, 2, m) || s[7] != '-' ||
      !digits_at(s, 8, 2, d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  return days_from_civil(y, m, d);
}

static std::optional<Parsed> parse_date_time(const std::string& s, char separator) {
  auto day = parse_day(s);
  if (!day || s.size() < 19 || s[10] != separator) return std::nullopt;
  auto clock = parse_clock(s, 11);
  if (!clock) return std::nullopt;
  clock->seconds += *day * 86400;
  return clock;
}

// "+HH:MM" / "-HH:MM" in minutes.
static std::optional<int64_t> parse_offset(const std::string& s) {
  int64_t h, m;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !digits_at(s, 1, 2, h) || s[3] != ':' || !digits_at(s, 4, 2, m)) {
    return std::nullopt;
  }
  return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

static std::string fixed_fraction(std::string fraction, int64_t digits) {
  fraction.resize(static_cast<size_t>(digits), '0');
  return fraction;
}

// "YYYY-MM-DD<separator>HH:MM:SS.<fraction9>" of epoch seconds, through the
// support library's RFC 3339 formatter (not the connector's own calendar).
static std::string format_date_time(int64_t seconds, const std::string& fraction9, char separator) {
  std::string text = sluice::support::format_rfc3339({seconds * 1'000'000}, 0);  // ...THH:MM:SSZ
  text[10] = separator;
  text.back() = '.';
  return text + fraction9;
}

// Epoch seconds and fraction digits as Snowflake writes them ("-1.500000000").
static std::string epoch_text(int64_t seconds, std::string fraction) {
  const bool has_fraction = fraction.find_first_not_of('0') != std::string::npos;
  std::string out;
  if (seconds < 0 && has_fraction) {
    // seconds + 0.f is negative: write -(|seconds| - 1).(10^n - f)
    int borrow = 0;
    for (size_t i = fraction.size(); i-- > 0;) {
      int digit = -(fraction[i] - '0') - borrow;
      borrow = digit < 0;
      if (borrow) digit += 10;
      fraction[i] = static_cast<char>('0' + digit);
    }
    out.push_back('-');
    out += std::to_string(-(seconds + 1));
  } else {
    out = std::to_string(seconds);
  }
  if (!fraction.empty()) {
    out.push_back('.');
    out += fraction;
  }
  return out;
}

static std::string hex_of(const void* data, int size) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (int i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
  return out;
}

std::string text_of(sqlite3_stmt* stmt, int i) {
  const auto* text = sqlite3_column_text(stmt, i);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
              : std::string();
}

// The jsonv2 cell of a stored value.
json::value encode(sqlite3_stmt* stmt, int i, const Resolved& type) {
  if (sqlite3_column_type(stmt, i) == SQLITE_NULL) return nullptr;
  const std::string text = text_of(stmt, i);
  const std::string& t = type.row_type;
  if (t == "real") {
    char b[32];
    const double v = sqlite3_column_double(stmt, i);
    auto [end, ec] = std::to_chars(b, b + sizeof b, v);
    return json::string(std::string(b, end));
  }
  if (t == "boolean") return json::string(sqlite3_column_int64(stmt, i) ? "true" : "false");
  if (t == "date") {
    auto day = parse_day(text);
    return json::string(day ? std::to_string(*day) : text);
  }
  if (t == "time") {
    auto clock = parse_clock(text, 0);
    if (!clock) return json::string(text);
    return json::string(epoch_text(clock->seconds, fixed_fraction(clock->fraction, type.scale)));
  }
  if (t == "timestamp_ntz" || t == "timestamp_ltz" || t == "timestamp_tz") {
    auto parsed = parse_date_time(text, ' ');
    if (!parsed) return json::string(text);
    std::string cell = epoch_text(parsed->seconds, fixed_fraction(parsed->fraction, type.scale));
    if (t == "timestamp_tz") {
      std::string zone = parsed->rest;
      if (!zone.empty() && zone.front() == ' ') zone.erase(0, 1);
      cell.push_back(' ');
      cell += std::to_string(parse_offset(zone).value_or(0) + 1440);
    }
    return json::string(cell);
  }
  if (t == "binary") return json::string(hex_of(sqlite3_column_blob(stmt, i), sqlite3_column_bytes(stmt, i)));
  return json::string(text);  // fixed, text, variant, object, array, geography
}

// --- TO_* conversion functions ----------------------------------------------------

static constexpr const char* kNtzFormat = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9";
static constexpr const char* kTzFormat = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM";

static std::string arg_text(sqlite3_value* v) {
  const auto* text = sqlite3_value_text(v);
  return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

static void convert(sqlite3_context* context, int argc, sqlite3_value** argv) {
  const std::string function = static_cast<const char*>(sqlite3_user_data(context));
  if (argc != 2) {
    sqlite3_result_error(context, (function + " in the fake takes (value, format)").c_str(), -1);
    return;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const std::string value = arg_text(argv[0]), format = arg_text(argv[1]);
  auto fail = [&](const std::string& why) {
    const std::string message = "Can't parse '" + value + "' as " + function + " with format '" + format + "': " + why;
    sqlite3_result_error(context, message.c_str(), -1);
  };
  std::string out;
  if (function == "TO_DATE") {
    if (format != "YYYY-MM-DD" || !parse_day(value) || value.size() != 10) return fail("not YYYY-MM-DD");
    out = value;
  } else if (function == "TO_TIME") {
    auto clock = parse_clock(value, 0);
    if (format != "HH24:MI:SS.FF9" || !clock || !clock->rest.empty()) return fail("not HH24:MI:SS.FF9");
    out = value.substr(0, 8) + "." + fixed_fraction(clock->fraction, 9);
  } else if (function == "TO_TIMESTAMP_NTZ") {
    auto parsed = parse_date_time(value, 'T');
    if (format != kNtzFormat || !parsed || !parsed->rest.empty()) return fail("not the NTZ format");
    out = format_date_time(parsed->seconds, fixed_fraction(parsed->fraction, 9), ' ');
  } else {  // TO_TIMESTAMP_LTZ / TO_TIMESTAMP_TZ
    auto parsed = parse_date_time(value, 'T');
    auto offset = parsed ? parse_offset(parsed->rest) : std::nullopt;
    if (format != kTzFormat || !parsed || !offset) return fail("not the TZ format");
    out = format_date_time(parsed->seconds - *offset * 60, fixed_fraction(parsed->fraction, 9), ' ');
    if (function == "TO_TIMESTAMP_TZ") out += " " + parsed->rest;
  }
  sqlite3_result_text(context, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// Stored TIMESTAMP_TZ text: the UTC instant (29 characters), then the offset.
static int compare_instants(void*, int left_size, const void* left, int right_size, const void* right) {
  const int size = std::min({left_size, right_size, 29});
  const int order = std::memcmp(left, right, static_cast<size_t>(size));
  if (order != 0) return order;
  return std::min(left_size, 29) - std::min(right_size, 29);
}

// "[-]digits" as an integer.
static std::optional<int64_t> integer_text(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Epoch nanoseconds as whole seconds (towards the past) and 9 fraction digits.
static std::pair<int64_t, std::string> split_nanos(int64_t nanos) {
  int64_t seconds = nanos / 1'000'000'000, rest = nanos % 1'000'000'000;
  if (rest < 0) rest += 1'000'000'000, --seconds;
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, "%09lld", static_cast<long long>(rest));
  return {seconds, fraction};
}

std::optional<std::string> stored_binding(const std::string& type, const std::string& value) {
  if (type == "DATE") {
    const auto millis = integer_text(value);
    if (!millis || *millis % 86'400'000 != 0) return std::nullopt;
    return format_date_time(*millis / 1000, "", ' ').substr(0, 10);
  }
  if (type == "TIME") {
    const auto nanos = integer_text(value);
    if (!nanos || *nanos < 0 || *nanos >= 86'400'000'000'000) return std::nullopt;
    const auto [seconds, fraction] = split_nanos(*nanos);
    return format_date_time(seconds, fraction, ' ').substr(11);
  }
  if (type == "TIMESTAMP_NTZ" || type == "TIMESTAMP_LTZ") {
    const auto nanos = integer_text(value);
    if (!nanos) return std::nullopt;
    const auto [seconds, fraction] = split_nanos(*nanos);
    return format_date_time(seconds, fraction, ' ');
  }
  if (type == "TIMESTAMP_TZ") {
    const auto space = value.find(' ');
    const auto nanos = integer_text(value.substr(0, space));
    const auto encoded = space == std::string::npos ? std::nullopt : integer_text(value.substr(space + 1));
    if (!nanos || !encoded || *encoded < 0 || *encoded > 2880) return std::nullopt;
    const auto [seconds, fraction] = split_nanos(*nanos);
    const int64_t offset = *encoded - 1440;
    char zone[32];  // "+HH:MM"; sized for any long long, as -Wformat-truncation checks
    std::snprintf(zone, sizeof zone, "%c%02lld:%02lld", offset < 0 ? '-' : '+', static_cast<long long>(std::abs(offset) / 60),
                  static_cast<long long>(std::abs(offset) % 60));
    return format_date_time(seconds, fraction, ' ') + " " + zone;
  }
  return std::nullopt;
}

void register_value_functions(sqlite3* db) {
  for (const char* function : {"TO_DATE", "TO_TIME", "TO_TIMESTAMP_NTZ", "TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_TZ"}) {
    sqlite3_create_function(db, function, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, const_cast<char*>(function), convert,
                            nullptr, nullptr);
  }
  sqlite3_create_collation(db, "SF_INSTANT", SQLITE_UTF8, nullptr, compare_instants);
}

}  // namespace snowflake_fake
