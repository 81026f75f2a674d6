#include "fake_warehouse.hpp"

#include <sluice/support/timestamp.hpp>

#include <sqlite3.h>

#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace databricks_fake {

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string base_of(const std::string& ddl) { return upper(ddl.substr(0, ddl.find_first_of("(< "))); }

std::string quote(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

std::string sqlite_type(const std::string& base) {
  if (base == "TINYINT" || base == "SMALLINT" || base == "INT" || base == "BIGINT" || base == "BOOLEAN") return "INTEGER";
  if (base == "FLOAT" || base == "DOUBLE") return "REAL";
  if (base == "BINARY") return "BLOB";
  return "TEXT";
}

// DECIMAL(p,s) -> {p, s}.
std::pair<int64_t, int64_t> precision_scale(const std::string& ddl) {
  int64_t p = 10, s = 0;
  std::sscanf(ddl.c_str(), "%*[^(](%lld,%lld)", reinterpret_cast<long long*>(&p), reinterpret_cast<long long*>(&s));
  return {p, s};
}

std::string base64(const void* data, size_t size) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  encoder.close();
  return out.str();
}

// 'YYYY-MM-DD HH:MM:SS.ffffff' of an instant.
std::string stored_timestamp(sluice::support::Timestamp t) {
  std::string text = sluice::support::format_rfc3339(t, 6);
  text[10] = ' ';
  text.pop_back();
  return text;
}

// The stored form as a JSON_ARRAY cell: 'T', the fraction's trailing zeros
// trimmed (none left: no '.'), 'Z' for an instant.
std::string timestamp_cell(std::string stored, bool instant) {
  if (stored.size() > 10) stored[10] = 'T';
  if (const auto point = stored.find('.'); point != std::string::npos) {
    while (stored.back() == '0') stored.pop_back();
    if (stored.back() == '.') stored.pop_back();
  }
  return instant ? stored + "Z" : stored;
}

std::string shortest(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace

json::object column_type_info(const std::string& ddl_type, bool unity_catalog) {
  const std::string base = base_of(ddl_type);
  static const std::map<std::string, std::string> names{
      {"TINYINT", "BYTE"},       {"SMALLINT", "SHORT"},   {"INT", "INT"},         {"BIGINT", "LONG"},
      {"DECIMAL", "DECIMAL"},    {"FLOAT", "FLOAT"},      {"DOUBLE", "DOUBLE"},   {"STRING", "STRING"},
      {"BOOLEAN", "BOOLEAN"},    {"DATE", "DATE"},        {"TIMESTAMP", "TIMESTAMP"}, {"BINARY", "BINARY"},
      {"ARRAY", "ARRAY"},        {"MAP", "MAP"},          {"STRUCT", "STRUCT"},   {"INTERVAL", "INTERVAL"}};
  std::string type_name;
  if (base == "TIMESTAMP_NTZ") {
    // Unity Catalog has the name; a result manifest's enum does not [verify].
    type_name = unity_catalog ? "TIMESTAMP_NTZ" : "TIMESTAMP";
  } else if (base == "VARIANT") {
    type_name = unity_catalog ? "VARIANT" : "STRING";
  } else {
    const auto found = names.find(base);
    type_name = found == names.end() ? "STRING" : found->second;
  }
  json::object info{{"type_name", type_name}, {"type_text", lower(ddl_type)}};
  if (base == "DECIMAL") {
    const auto [p, s] = precision_scale(ddl_type);
    info["type_precision"] = p;
    info["type_scale"] = s;
  }
  if (unity_catalog) info["type_json"] = json::serialize(json::object{{"type", lower(ddl_type)}});
  return info;
}

struct FakeWarehouse::Impl {
  sqlite3* db = nullptr;
  mutable std::recursive_mutex mutex;
  std::map<std::pair<std::string, std::string>, FakeTable> tables;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> types;  // (schema, table, column) -> DDL type
  std::set<std::pair<std::string, std::string>> denied;
  std::optional<std::pair<std::string, std::string>> denied_hit;
  std::string user = "reader@example.com", catalog;
  std::set<std::string> schemas;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("fake warehouse: " + message + " in " + sql);
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

  static void text_function(sqlite3_context* context, int, sqlite3_value**) {
    const auto* text = static_cast<const std::string*>(sqlite3_user_data(context));
    sqlite3_result_text(context, text->c_str(), -1, SQLITE_TRANSIENT);
  }
};

FakeWarehouse::FakeWarehouse(std::string catalog) : catalog_(std::move(catalog)), impl_(std::make_unique<Impl>()) {
  impl_->catalog = catalog_;
  if (sqlite3_open(":memory:", &impl_->db) != SQLITE_OK) throw std::runtime_error("fake warehouse: cannot open SQLite");
  sqlite3_create_function(impl_->db, "current_user", 0, SQLITE_UTF8, &impl_->user, &Impl::text_function, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "current_catalog", 0, SQLITE_UTF8, &impl_->catalog, &Impl::text_function, nullptr,
                          nullptr);
  sqlite3_set_authorizer(impl_->db, &Impl::authorize, impl_.get());
}

FakeWarehouse::~FakeWarehouse() { sqlite3_close(impl_->db); }

void FakeWarehouse::set_user(std::string user) {
  std::lock_guard lock(impl_->mutex);
  impl_->user = std::move(user);
}

void FakeWarehouse::create_schema(const std::string& schema) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->schemas.insert(schema).second) impl_->exec("ATTACH ':memory:' AS " + quote(schema));
}

void FakeWarehouse::create_table(const std::string& schema, const std::string& table,
                                 const std::vector<FakeColumn>& columns, const std::vector<std::string>& primary_key,
                                 bool view) {
  std::lock_guard lock(impl_->mutex);
  create_schema(schema);
  std::string ddl = "CREATE TABLE " + quote(schema) + "." + quote(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    impl_->types[{schema, table, columns[i].name}] = columns[i].type;
    ddl += (i ? ", " : "") + quote(columns[i].name) + " " + sqlite_type(base_of(columns[i].type));
  }
  impl_->exec(ddl + ")");
  impl_->tables[{schema, table}] = FakeTable{schema, table, columns, primary_key, view};
}

void FakeWarehouse::insert(const std::string& schema, const std::string& table, const std::vector<Row>& rows) {
  std::lock_guard lock(impl_->mutex);
  const FakeTable& info = impl_->tables.at({schema, table});
  std::string sql = "INSERT INTO " + quote(schema) + "." + quote(table) + " VALUES (";
  for (size_t i = 0; i < info.columns.size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error("fake warehouse: " + std::string(sqlite3_errmsg(impl_->db)));
  }
  impl_->exec("BEGIN");
  for (const Row& row : rows) {
    for (size_t i = 0; i < info.columns.size(); ++i) {
      const int slot = static_cast<int>(i + 1);
      const std::string base = base_of(info.columns[i].type);
      if (i >= row.size() || !row[i]) {
        sqlite3_bind_null(stmt, slot);
      } else if (base == "BINARY") {
        std::string bytes;
        for (size_t h = 0; h + 1 < row[i]->size(); h += 2) bytes.push_back(static_cast<char>(std::stoi(row[i]->substr(h, 2), nullptr, 16)));
        sqlite3_bind_blob(stmt, slot, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
      } else if (sqlite_type(base) == "INTEGER") {
        sqlite3_bind_int64(stmt, slot, std::stoll(*row[i]));
      } else if (sqlite_type(base) == "REAL") {
        sqlite3_bind_double(stmt, slot, std::stod(*row[i]));
      } else {
        sqlite3_bind_text(stmt, slot, row[i]->c_str(), -1, SQLITE_TRANSIENT);
      }
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) throw std::runtime_error("fake warehouse: insert failed");
    sqlite3_reset(stmt);
  }
  impl_->exec("COMMIT");
  sqlite3_finalize(stmt);
}

void FakeWarehouse::deny(const std::string& schema, const std::string& table) {
  std::lock_guard lock(impl_->mutex);
  impl_->denied.insert({schema, table});
}

std::vector<std::string> FakeWarehouse::schemas() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->schemas.begin(), impl_->schemas.end()};
}

std::vector<FakeTable> FakeWarehouse::tables(const std::string& schema) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<FakeTable> out;
  for (const auto& [key, table] : impl_->tables) {
    if (key.first == schema) out.push_back(table);
  }
  return out;
}

StatementOutcome FakeWarehouse::run(const std::string& sql, const json::array& parameters) {
  std::lock_guard lock(impl_->mutex);
  StatementOutcome outcome;
  auto fail = [&](std::string code, std::string state, std::string message) {
    outcome.error_code = std::move(code);
    outcome.sql_state = std::move(state);
    outcome.message = std::move(message);
    return outcome;
  };
  impl_->denied_hit.reset();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    if (impl_->denied_hit) {
      const std::string full = impl_->catalog + "." + impl_->denied_hit->first + "." + impl_->denied_hit->second;
      return fail("BAD_REQUEST", "42501",
                  "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have SELECT on Table '" + full +
                      "'. SQLSTATE: 42501");
    }
    const std::string error = sqlite3_errmsg(impl_->db);
    if (error.find("no such table") != std::string::npos) {
      return fail("BAD_REQUEST", "42P01",
                  "[TABLE_OR_VIEW_NOT_FOUND] The table or view cannot be found (" + error + "). SQLSTATE: 42P01");
    }
    return fail("BAD_REQUEST", "42601", "[PARSE_SYNTAX_ERROR] " + error + ". SQLSTATE: 42601");
  }
  const int markers = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= markers; ++i) {
    const char* marker = sqlite3_bind_parameter_name(stmt, i);
    const std::string name = marker && marker[0] == ':' ? marker + 1 : "";
    const json::object* parameter = nullptr;
    for (const auto& p : parameters) {
      if (p.is_object() && p.get_object().contains("name") && p.get_object().at("name") == json::value(name)) {
        parameter = &p.get_object();
      }
    }
    if (!parameter || name.empty()) {
      sqlite3_finalize(stmt);
      return fail("BAD_REQUEST", "42P02",
                  "[UNBOUND_SQL_PARAMETER] Found the unbound parameter: " + name + ". SQLSTATE: 42P02");
    }
    const auto* value = parameter->if_contains("value");
    const auto* type_value = parameter->if_contains("type");
    const std::string type = type_value && type_value->is_string() ? upper(std::string(type_value->get_string())) : "STRING";
    if (!value || value->is_null()) {
      sqlite3_bind_null(stmt, i);
      continue;
    }
    if (!value->is_string()) {
      sqlite3_finalize(stmt);
      return fail("BAD_REQUEST", "22023", "parameter " + name + ": value must be a string");
    }
    const std::string text(value->get_string());
    const std::string base = base_of(type);
    auto invalid = [&] {
      sqlite3_finalize(stmt);
      return fail("BAD_REQUEST", "22018",
                  "[CAST_INVALID_INPUT] The value '" + text + "' of the type \"STRING\" cannot be cast to \"" + type +
                      "\" because it is malformed. SQLSTATE: 22018");
    };
    if (base == "TINYINT" || base == "SMALLINT" || base == "INT" || base == "BIGINT") {
      int64_t integer = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
      if (ec != std::errc() || end != text.data() + text.size()) return invalid();
      sqlite3_bind_int64(stmt, i, integer);
    } else if (base == "DOUBLE" || base == "FLOAT") {
      sqlite3_bind_double(stmt, i, std::stod(text));
    } else if (base == "BOOLEAN") {
      if (text != "true" && text != "false") return invalid();
      sqlite3_bind_int(stmt, i, text == "true");
    } else if (base == "DATE") {
      if (text.size() != 10 || !sluice::support::parse_date(text)) return invalid();
      sqlite3_bind_text(stmt, i, text.c_str(), -1, SQLITE_TRANSIENT);
    } else if (base == "TIMESTAMP" || base == "TIMESTAMP_NTZ") {
      // An NTZ value has no zone; a TIMESTAMP without one is in the session's (UTC).
      const bool zoned = text.size() > 19 && text.find_first_of("Zz+-", 19) != std::string::npos;
      const auto t = base == "TIMESTAMP_NTZ" && zoned ? std::nullopt : sluice::support::parse_rfc3339(text);
      if (!t) return invalid();
      const std::string stored = stored_timestamp(*t);
      sqlite3_bind_text(stmt, i, stored.c_str(), -1, SQLITE_TRANSIENT);
    } else if (base == "DECIMAL") {
      const auto [p, s] = precision_scale(type);
      const auto point = text.find('.');
      std::string digits = point == std::string::npos ? text + (s ? "." : "") : text;
      const size_t have = point == std::string::npos ? 0 : text.size() - point - 1;
      if (static_cast<int64_t>(have) > s) return invalid();  // would round: the connector must send the column's scale
      digits.append(static_cast<size_t>(s) - have, '0');
      sqlite3_bind_text(stmt, i, digits.c_str(), -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_text(stmt, i, text.c_str(), -1, SQLITE_TRANSIENT);
    }
  }
  const int count = sqlite3_column_count(stmt);
  std::vector<std::string> types(static_cast<size_t>(count), "STRING");
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
    row.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      const int kind = sqlite3_column_type(stmt, i);
      if (!known[static_cast<size_t>(i)] && kind != SQLITE_NULL) {
        // An expression (count(*), sum(x), 1 + 1): typed by its first value,
        // as Databricks types it by the expression.
        types[static_cast<size_t>(i)] = kind == SQLITE_INTEGER ? "BIGINT" : kind == SQLITE_FLOAT ? "DOUBLE" : "STRING";
        known[static_cast<size_t>(i)] = true;
      }
      const std::string base = base_of(types[static_cast<size_t>(i)]);
      if (kind == SQLITE_NULL) {
        row.emplace_back(nullptr);
      } else if (base == "BOOLEAN") {
        row.emplace_back(sqlite3_column_int(stmt, i) ? "true" : "false");
      } else if (base == "BINARY") {
        row.emplace_back(base64(sqlite3_column_blob(stmt, i), static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
      } else if (kind == SQLITE_FLOAT) {
        row.emplace_back(shortest(sqlite3_column_double(stmt, i)));
      } else if (base == "TIMESTAMP" || base == "TIMESTAMP_NTZ") {
        row.emplace_back(timestamp_cell(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)), base == "TIMESTAMP"));
      } else {
        row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)));
      }
    }
    outcome.rows.push_back(std::move(row));
  }
  if (step != SQLITE_DONE) {
    const std::string error = sqlite3_errmsg(impl_->db);
    sqlite3_finalize(stmt);
    return fail("BAD_REQUEST", "22000", error);
  }
  for (int i = 0; i < count; ++i) {
    json::object column = column_type_info(types[static_cast<size_t>(i)], false);
    column["name"] = sqlite3_column_name(stmt, i);
    column["position"] = i;
    outcome.columns.push_back(std::move(column));
  }
  sqlite3_finalize(stmt);
  return outcome;
}

}  // namespace databricks_fake
