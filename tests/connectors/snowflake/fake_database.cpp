#include "fake_database.hpp"
#include "fake_values.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

namespace snowflake_fake {

namespace {

void context_value(sqlite3_context* context, int, sqlite3_value**) {
  const auto* value = static_cast<const std::string*>(sqlite3_user_data(context));
  sqlite3_result_text(context, value->c_str(), static_cast<int>(value->size()), SQLITE_TRANSIENT);
}

}  // namespace

struct FakeDatabase::Impl {
  // The test's thread sets up tables while the server's threads run
  // statements: every public call holds it (recursive: create_table calls create_schema).
  std::recursive_mutex mutex;
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
  register_value_functions(impl_->db);
  sqlite3_create_function(impl_->db, "CURRENT_USER", 0, SQLITE_UTF8, &impl_->user, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_ROLE", 0, SQLITE_UTF8, &impl_->role, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_WAREHOUSE", 0, SQLITE_UTF8, &impl_->warehouse, context_value, nullptr, nullptr);
  sqlite3_create_function(impl_->db, "CURRENT_DATABASE", 0, SQLITE_UTF8, &impl_->database, context_value, nullptr, nullptr);
  sqlite3_set_authorizer(impl_->db, &Impl::authorize, impl_.get());
}

FakeDatabase::~FakeDatabase() { sqlite3_close(impl_->db); }

void FakeDatabase::create_schema(const std::string& schema) {
  std::lock_guard lock(impl_->mutex);
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
  std::lock_guard lock(impl_->mutex);
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
  std::lock_guard lock(impl_->mutex);
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

void FakeDatabase::deny(const std::string& schema, const std::string& table) {
  std::lock_guard lock(impl_->mutex);
  impl_->denied.insert({schema, table});
}

void FakeDatabase::set_context(std::string user, std::string role, std::string warehouse) {
  std::lock_guard lock(impl_->mutex);
  impl_->user = std::move(user);
  impl_->role = std::move(role);
  impl_->warehouse = std::move(warehouse);
}

StatementResult FakeDatabase::run(const std::string& sql_text, const json::object& bindings, const std::string& schema) {
  std::lock_guard lock(impl_->mutex);
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
    } else if (kind == "DATE" || kind == "TIME" || kind.starts_with("TIMESTAMP_")) {
      const auto stored = stored_binding(kind, text);
      if (!stored) {
        sqlite3_finalize(stmt);
        result.error_code = "100040";
        result.sql_state = "22007";
        result.error_message = kind + " '" + text + "' is not recognized";
        return result;
      }
      sqlite3_bind_text(stmt, i, stored->c_str(), -1, SQLITE_TRANSIENT);
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
