#include "fake_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>

namespace snowflake_fake {

namespace {

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

// A DDL type resolved: INFORMATION_SCHEMA's DATA_TYPE, rowType's type,
// precision, scale, and the SQLite column type that stores it unchanged.
struct Resolved {
  std::string data_type, row_type;
  int64_t precision = 0, scale = 0, length = 0;
  std::string sqlite_type;
};

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

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool digits_at(const std::string& s, size_t pos, size_t n, int64_t& out) {
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
struct Parsed {
  int64_t seconds = 0;
  std::string fraction;
  std::string rest;
};

std::optional<Parsed> parse_clock(const std::string& s, size_t pos) {
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

std::optional<int64_t> parse_day(const std::string& s) {
  int64_t y, m, d;
  if (s.size() < 10 || !digits_at(s, 0, 4, y) || s[4] != '-' || !digits_at(s, 5, 2, m) || s[7] != '-' ||
      !digits_at(s, 8, 2, d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  return days_from_civil(y, m, d);
}

std::optional<Parsed> parse_date_time(const std::string& s, char separator) {
  auto day = parse_day(s);
  if (!day || s.size() < 19 || s[10] != separator) return std::nullopt;
  auto clock = parse_clock(s, 11);
  if (!clock) return std::nullopt;
  clock->seconds += *day * 86400;
  return clock;
}

// "+HH:MM" / "-HH:MM" in minutes.
std::optional<int64_t> parse_offset(const std::string& s) {
  int64_t h, m;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !digits_at(s, 1, 2, h) || s[3] != ':' || !digits_at(s, 4, 2, m)) {
    return std::nullopt;
  }
  return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

std::string fixed_fraction(std::string fraction, int64_t digits) {
  fraction.resize(static_cast<size_t>(digits), '0');
  return fraction;
}

std::string two(int64_t v) {
  return {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

std::string format_date_time(int64_t seconds, const std::string& fraction9, char separator) {
  int64_t days = seconds / 86400 - (seconds % 86400 < 0);
  int64_t sod = seconds - days * 86400;
  // civil_from_days
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char b[96];
  std::snprintf(b, sizeof b, "%04lld-%s-%s%c%s:%s:%s.%s", static_cast<long long>(y), two(m).c_str(), two(d).c_str(),
                separator, two(sod / 3600).c_str(), two(sod / 60 % 60).c_str(), two(sod % 60).c_str(), fraction9.c_str());
  return b;
}

// Epoch seconds and fraction digits as Snowflake writes them ("-1.500000000").
std::string epoch_text(int64_t seconds, std::string fraction) {
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
    out = "-" + std::to_string(-(seconds + 1));
  } else {
    out = std::to_string(seconds);
  }
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

std::string hex_of(const void* data, int size) {
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
      cell += " " + std::to_string(parse_offset(zone).value_or(0) + 1440);
    }
    return json::string(cell);
  }
  if (t == "binary") return json::string(hex_of(sqlite3_column_blob(stmt, i), sqlite3_column_bytes(stmt, i)));
  return json::string(text);  // fixed, text, variant, object, array, geography
}

// --- TO_* conversion functions ----------------------------------------------------

constexpr const char* kNtzFormat = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9";
constexpr const char* kTzFormat = "YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM";

std::string arg_text(sqlite3_value* v) {
  const auto* text = sqlite3_value_text(v);
  return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

void convert(sqlite3_context* context, int argc, sqlite3_value** argv) {
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
int compare_instants(void*, int left_size, const void* left, int right_size, const void* right) {
  const int size = std::min({left_size, right_size, 29});
  const int order = std::memcmp(left, right, static_cast<size_t>(size));
  if (order != 0) return order;
  return std::min(left_size, 29) - std::min(right_size, 29);
}

void context_value(sqlite3_context* context, int, sqlite3_value**) {
  const auto* value = static_cast<const std::string*>(sqlite3_user_data(context));
  sqlite3_result_text(context, value->c_str(), static_cast<int>(value->size()), SQLITE_TRANSIENT);
}

}  // namespace

struct FakeDatabase::Impl {
  sqlite3* db = nullptr;
  std::map<std::tuple<std::string, std::string, std::string>, Resolved> types;  // (schema, table, column)
  std::set<std::pair<std::string, std::string>> denied;
  std::optional<std::pair<std::string, std::string>> denied_hit;
  std::string user = "SLUICE", role = "SLUICE_READER", warehouse = "SLUICE_WH", database;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("fake database: " + message + " in " + sql);
    }
  }

  static int authorize(void* self, int action, const char* table, const char*, const char* schema, const char*) {
    auto* impl = static_cast<Impl*>(self);
    if (action == SQLITE_READ && table && schema && impl->denied.count({schema, table})) {
      impl->denied_hit = std::make_pair(std::string(schema), std::string(table));
      return SQLITE_DENY;
    }
    return SQLITE_OK;
  }
};

FakeDatabase::FakeDatabase(std::string name) : name_(std::move(name)), impl_(std::make_unique<Impl>()) {
  impl_->database = name_;
  if (sqlite3_open(":memory:", &impl_->db) != SQLITE_OK) throw std::runtime_error("fake database: cannot open SQLite");
  impl_->exec("ATTACH ':memory:' AS INFORMATION_SCHEMA");
  impl_->exec("CREATE TABLE INFORMATION_SCHEMA.COLUMNS (TABLE_CATALOG TEXT, TABLE_SCHEMA TEXT, TABLE_NAME TEXT, "
              "COLUMN_NAME TEXT, ORDINAL_POSITION INTEGER, IS_NULLABLE TEXT, DATA_TYPE TEXT, "
              "NUMERIC_PRECISION INTEGER, NUMERIC_SCALE INTEGER)");
  impl_->exec("CREATE TABLE INFORMATION_SCHEMA.TABLES (TABLE_CATALOG TEXT, TABLE_SCHEMA TEXT, TABLE_NAME TEXT, "
              "TABLE_TYPE TEXT)");
  // SHOW PRIMARY KEYS' output columns (lower case, as Snowflake names them).
  impl_->exec("CREATE TABLE main.show_primary_keys (created_on TEXT, database_name TEXT, schema_name TEXT, "
              "table_name TEXT, column_name TEXT, key_sequence INTEGER, constraint_name TEXT)");
  for (const char* column : {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "IS_NULLABLE", "DATA_TYPE"}) {
    impl_->types[{"INFORMATION_SCHEMA", "COLUMNS", column}] = resolve("VARCHAR");
  }
  for (const char* column : {"ORDINAL_POSITION", "NUMERIC_PRECISION", "NUMERIC_SCALE"}) {
    impl_->types[{"INFORMATION_SCHEMA", "COLUMNS", column}] = resolve("NUMBER(9,0)");
  }
  for (const char* column : {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE"}) {
    impl_->types[{"INFORMATION_SCHEMA", "TABLES", column}] = resolve("VARCHAR");
  }
  for (const char* column : {"database_name", "schema_name", "table_name", "column_name", "constraint_name"}) {
    impl_->types[{"main", "show_primary_keys", column}] = resolve("VARCHAR");
  }
  impl_->types[{"main", "show_primary_keys", "created_on"}] = resolve("TIMESTAMP_LTZ(3)");
  impl_->types[{"main", "show_primary_keys", "key_sequence"}] = resolve("NUMBER(3,0)");
  for (const char* function : {"TO_DATE", "TO_TIME", "TO_TIMESTAMP_NTZ", "TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_TZ"}) {
    sqlite3_create_function(impl_->db, function, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, const_cast<char*>(function),
                            convert, nullptr, nullptr);
  }
  sqlite3_create_function(impl_->db, "CURRENT_USER", 0, SQLITE_UTF8, &impl_->user, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_ROLE", 0, SQLITE_UTF8, &impl_->role, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_WAREHOUSE", 0, SQLITE_UTF8, &impl_->warehouse, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_DATABASE", 0, SQLITE_UTF8, &impl_->database, context_value, nullptr, nullptr);
  sqlite3_create_collation(impl_->db, "SF_INSTANT", SQLITE_UTF8, nullptr, compare_instants);
  sqlite3_set_authorizer(impl_->db, &Impl::authorize, impl_.get());
}

FakeDatabase::~FakeDatabase() { sqlite3_close(impl_->db); }

void FakeDatabase::create_schema(const std::string& schema) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(impl_->db, "SELECT 1 FROM pragma_database_list WHERE name = ?", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, schema.c_str(), -1, SQLITE_TRANSIENT);
  const bool exists = sqlite3_step(stmt) == SQLITE_ROW;
  sqlite3_finalize(stmt);
  if (!exists) impl_->exec("ATTACH ':memory:' AS " + quote(schema));
}

void FakeDatabase::create_table(const std::string& schema, const std::string& table,
                                const std::vector<FakeColumn>& columns, const std::vector<std::string>& primary_key,
                                bool view) {
  create_schema(schema);
  std::string ddl = "CREATE TABLE " + quote(schema) + "." + quote(table) + " (";
  sqlite3_stmt* column_row = nullptr;
  sqlite3_prepare_v2(impl_->db, "INSERT INTO INFORMATION_SCHEMA.COLUMNS VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                     &column_row, nullptr);
  for (size_t i = 0; i < columns.size(); ++i) {
    const Resolved type = resolve(columns[i].type);
    impl_->types[{schema, table, columns[i].name}] = type;
    ddl += (i ? ", " : "") + quote(columns[i].name) + " " + type.sqlite_type;
    const std::string values[] = {name_, schema, table, columns[i].name};
    for (int v = 0; v < 4; ++v) sqlite3_bind_text(column_row, v + 1, values[v].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(column_row, 5, static_cast<int64_t>(i + 1));
    sqlite3_bind_text(column_row, 6, columns[i].nullable ? "YES" : "NO", -1, SQLITE_STATIC);
    sqlite3_bind_text(column_row, 7, type.data_type.c_str(), -1, SQLITE_TRANSIENT);
    if (type.data_type == "NUMBER") {
      sqlite3_bind_int64(column_row, 8, type.precision);
      sqlite3_bind_int64(column_row, 9, type.scale);
    } else {
      sqlite3_bind_null(column_row, 8);
      sqlite3_bind_null(column_row, 9);
    }
    sqlite3_step(column_row);
    sqlite3_reset(column_row);
  }
  sqlite3_finalize(column_row);
  impl_->exec(ddl + ")");
  sqlite3_stmt* table_row = nullptr;
  sqlite3_prepare_v2(impl_->db, "INSERT INTO INFORMATION_SCHEMA.TABLES VALUES (?, ?, ?, ?)", -1, &table_row, nullptr);
  const std::string values[] = {name_, schema, table, view ? "VIEW" : "BASE TABLE"};
  for (int v = 0; v < 4; ++v) sqlite3_bind_text(table_row, v + 1, values[v].c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_step(table_row);
  sqlite3_finalize(table_row);
  sqlite3_stmt* key_row = nullptr;
  sqlite3_prepare_v2(impl_->db, "INSERT INTO main.show_primary_keys VALUES ('2024-01-01 00:00:00.000000000', ?, ?, ?, ?, ?, ?)",
                     -1, &key_row, nullptr);
  for (size_t i = 0; i < primary_key.size(); ++i) {
    const std::string key_values[] = {name_, schema, table, primary_key[i]};
    for (int v = 0; v < 4; ++v) sqlite3_bind_text(key_row, v + 1, key_values[v].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(key_row, 5, static_cast<int64_t>(i + 1));
    const std::string constraint = "SYS_CONSTRAINT_" + table;
    sqlite3_bind_text(key_row, 6, constraint.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(key_row);
    sqlite3_reset(key_row);
  }
  sqlite3_finalize(key_row);
}

void FakeDatabase::insert(const std::string& schema, const std::string& table, const std::vector<Row>& rows) {
  if (rows.empty()) return;
  std::string sql = "INSERT INTO " + quote(schema) + "." + quote(table) + " VALUES (";
  for (size_t i = 0; i < rows[0].size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("fake insert: ") + sqlite3_errmsg(impl_->db));
  }
  // Column types, in order, to bind each value in its storage class.
  std::vector<Resolved> types;
  sqlite3_stmt* info = nullptr;
  sqlite3_prepare_v2(impl_->db, ("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND "
                                 "TABLE_NAME = ? ORDER BY ORDINAL_POSITION"),
                     -1, &info, nullptr);
  sqlite3_bind_text(info, 1, schema.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(info, 2, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(info) == SQLITE_ROW) types.push_back(impl_->types.at({schema, table, text_of(info, 0)}));
  sqlite3_finalize(info);
  impl_->exec("BEGIN");
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (!row[i]) {
        sqlite3_bind_null(stmt, index);
      } else if (types[i].sqlite_type == "INTEGER") {
        sqlite3_bind_int64(stmt, index, std::stoll(*row[i]));
      } else if (types[i].sqlite_type == "REAL") {
        sqlite3_bind_double(stmt, index, std::stod(*row[i]));
      } else if (types[i].sqlite_type == "BLOB") {
        std::string bytes;
        for (size_t h = 0; h + 1 < row[i]->size(); h += 2) bytes.push_back(static_cast<char>(std::stoi(row[i]->substr(h, 2), nullptr, 16)));
        sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_text(stmt, index, row[i]->c_str(), static_cast<int>(row[i]->size()), SQLITE_TRANSIENT);
      }
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) throw std::runtime_error(std::string("fake insert: ") + sqlite3_errmsg(impl_->db));
    sqlite3_reset(stmt);
  }
  impl_->exec("COMMIT");
  sqlite3_finalize(stmt);
}

void FakeDatabase::deny(const std::string& schema, const std::string& table) { impl_->denied.insert({schema, table}); }

void FakeDatabase::set_context(std::string user, std::string role, std::string warehouse) {
  impl_->user = std::move(user);
  impl_->role = std::move(role);
  impl_->warehouse = std::move(warehouse);
}

StatementResult FakeDatabase::run(const std::string& sql_text, const json::object& bindings, const std::string& schema) {
  StatementResult result;
  std::string sql = sql_text;
  // SHOW PRIMARY KEYS IN DATABASE "X": the fake's table of them.
  const std::string show = "SHOW PRIMARY KEYS IN DATABASE ";
  if (sql.compare(0, show.size(), show) == 0) {
    if (sql.substr(show.size()) != quote(name_)) {
      result.error_code = "002003";
      result.sql_state = "02000";
      result.error_message = "SQL compilation error:\nDatabase '" + sql.substr(show.size()) + "' does not exist or not authorized.";
      return result;
    }
    sql = "SELECT created_on, database_name, schema_name, table_name, column_name, key_sequence, constraint_name "
          "FROM main.show_primary_keys ORDER BY schema_name, table_name, key_sequence";
  }
  (void)schema;
  impl_->denied_hit.reset();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(impl_->db);
    sqlite3_finalize(stmt);
    if (impl_->denied_hit || message.rfind("no such table", 0) == 0) {
      const std::string object = impl_->denied_hit ? name_ + "." + impl_->denied_hit->first + "." + impl_->denied_hit->second
                                                   : message.substr(message.find(':') + 2);
      result.error_code = "002003";
      result.sql_state = "42S02";
      result.error_message = "SQL compilation error:\nObject '" + object + "' does not exist or not authorized.";
    } else {
      result.error_code = "001003";
      result.sql_state = "42000";
      result.error_message = "SQL compilation error:\n" + message;
    }
    return result;
  }
  const int parameters = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= parameters; ++i) {
    const auto* binding = bindings.if_contains(std::to_string(i));
    const auto* object = binding ? binding->if_object() : nullptr;
    const auto* type = object ? object->if_contains("type") : nullptr;
    const auto* value = object ? object->if_contains("value") : nullptr;
    if (!type || !type->is_string() || !value || !value->is_string()) {
      sqlite3_finalize(stmt);
      result.error_code = "002049";
      result.sql_state = "42601";
      result.error_message = "SQL compilation error: bind variable " + std::to_string(i) + " not set.";
      return result;
    }
    const std::string kind(type->get_string()), text(value->get_string());
    int64_t integer = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    const bool is_integer = ec == std::errc() && end == text.data() + text.size();
    if (kind == "FIXED" && is_integer) {
      sqlite3_bind_int64(stmt, i, integer);
    } else if (kind == "REAL") {
      sqlite3_bind_double(stmt, i, std::stod(text));
    } else if (kind == "BOOLEAN") {
      sqlite3_bind_int(stmt, i, text == "true" || text == "1");
    } else if (kind == "FIXED" || kind == "TEXT") {
      sqlite3_bind_text(stmt, i, text.c_str(), -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_finalize(stmt);
      result.error_code = "002049";
      result.sql_state = "22000";
      result.error_message = "Unsupported bind type " + kind + " in the fake";
      return result;
    }
  }
  const int count = sqlite3_column_count(stmt);
  std::vector<Resolved> types(static_cast<size_t>(count));
  std::vector<bool> known(static_cast<size_t>(count), false);
  for (int i = 0; i < count; ++i) {
    const char* db = sqlite3_column_database_name(stmt, i);
    const char* table = sqlite3_column_table_name(stmt, i);
    const char* origin = sqlite3_column_origin_name(stmt, i);
    if (db && table && origin) {
      if (auto found = impl_->types.find({db, table, origin}); found != impl_->types.end()) {
        types[static_cast<size_t>(i)] = found->second;
        known[static_cast<size_t>(i)] = true;
      }
    }
  }
  int step;
  while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
    json::array row;
    for (int i = 0; i < count; ++i) {
      auto& type = types[static_cast<size_t>(i)];
      if (!known[static_cast<size_t>(i)]) {  // an expression: typed by its first value
        type = sqlite3_column_type(stmt, i) == SQLITE_INTEGER ? resolve("NUMBER(18,0)")
               : sqlite3_column_type(stmt, i) == SQLITE_FLOAT ? resolve("FLOAT")
                                                               : resolve("VARCHAR");
        known[static_cast<size_t>(i)] = true;
      }
      if (type.row_type == "fixed" && type.sqlite_type == "INTEGER" && sqlite3_column_type(stmt, i) == SQLITE_INTEGER) {
        row.push_back(json::string(std::to_string(sqlite3_column_int64(stmt, i))));
      } else {
        row.push_back(encode(stmt, i, type));
      }
    }
    result.rows.push_back(std::move(row));
  }
  if (step != SQLITE_DONE) {
    result.error_code = "100038";
    result.sql_state = "22018";
    result.error_message = sqlite3_errmsg(impl_->db);
    sqlite3_finalize(stmt);
    return result;
  }
  for (int i = 0; i < count; ++i) {
    const auto& type = known[static_cast<size_t>(i)] ? types[static_cast<size_t>(i)] : resolve("VARCHAR");
    const char* table = sqlite3_column_table_name(stmt, i);
    const char* db = sqlite3_column_database_name(stmt, i);
    result.row_type.push_back(json::object{{"name", sqlite3_column_name(stmt, i)},
                                           {"database", name_},
                                           {"schema", db && std::string(db) != "main" ? db : ""},
                                           {"table", table ? table : ""},
                                           {"type", type.row_type},
                                           {"precision", type.precision},
                                           {"scale", type.scale},
                                           {"length", type.length},
                                           {"byteLength", type.length ? type.length * 4 : 0},
                                           {"nullable", true},
                                           {"collation", nullptr}});
  }
  sqlite3_finalize(stmt);
  return result;
}

}  // namespace snowflake_fake
