#include "dialect.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/sql_text.hpp"


namespace mysql_source {

Flavor detect_flavor(const std::string& server_info) {
  return server_info.find("MariaDB") != std::string::npos ? Flavor::mariadb : Flavor::mysql;
}

std::string quote_name(const std::string& name, const char* what) {
  return sql_common::quote_identifier(name, what, {'`', 64});
}

std::string quote_table(const std::string& database, const std::string& table) {
  return quote_name(database, "database") + "." + quote_name(table, "table");
}

std::vector<std::string> session_setup_sql(Flavor flavor, std::chrono::seconds statement_timeout) {
  const std::string timeout = flavor == Flavor::mariadb
                                  ? "SESSION max_statement_time = " + std::to_string(statement_timeout.count())
                                  : "SESSION max_execution_time = " + std::to_string(statement_timeout.count() * 1000);
  return {"SET SESSION TRANSACTION READ ONLY",
          "SET SESSION time_zone = '+00:00', SESSION net_write_timeout = 3600, " + timeout};
}

std::string select_list(const std::vector<Column>& columns, bool as_text) {
  std::string out;
  for (const auto& column : columns) {
    if (!out.empty()) out += ", ";
    const std::string name = quote_name(column.name, "column");
    if (column.kind == Kind::bits) {
      out += as_text ? "CAST(CAST(" + name + " AS UNSIGNED) AS CHAR)" : "CAST(" + name + " AS UNSIGNED)";
    } else if (as_text && !is_binary(column.kind)) {
      out += "CAST(" + name + " AS CHAR)";
    } else {
      out += name;
    }
  }
  return out.empty() ? "NULL" : out;
}

std::string range_read_sql(const std::string& database, const std::string& table, const std::vector<Column>& columns,
                           const sql_common::KeyRange& range, const std::string& key_column) {
  std::string sql = "SELECT " + select_list(columns, false) + " FROM " + quote_table(database, table);
  std::string condition;
  if (!key_column.empty()) {
    const std::string key = quote_name(key_column, "column");
    if (range.low) condition = key + " >= " + std::to_string(*range.low);
    if (range.high) condition += (condition.empty() ? "" : " AND ") + key + " < " + std::to_string(*range.high);
  }
  if (!condition.empty()) sql += " WHERE " + condition;
  // In key order (the clustered index's), so a resume point can say how
  // far into a range a read got (sql_common/range_resume.hpp).
  if (!key_column.empty()) sql += " ORDER BY " + quote_name(key_column, "column");
  return sql;
}

std::string key_bounds_sql(const std::string& database, const std::string& table, const std::string& key_column,
                           bool with_count) {
  const std::string key = quote_name(key_column, "column");
  return "SELECT MIN(" + key + "), MAX(" + key + ")" + (with_count ? ", COUNT(*)" : "") + " FROM " +
         quote_table(database, table);
}

std::string table_rows_sql() {
  return "SELECT CAST(TABLE_ROWS AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
         "AND TABLE_TYPE = 'BASE TABLE'";
}

std::string lock_for_snapshot_sql(const std::string& database, const std::string& table) {
  return "FLUSH TABLES " + quote_table(database, table) + " WITH READ LOCK";
}

std::string incremental_sql(const std::string& database, const std::string& table, const std::vector<Column>& columns,
                            const std::string& condition, const std::vector<std::string>& order_by) {
  std::string sql = "SELECT " + select_list(columns, true);
  for (const auto& name : order_by) sql += ", CAST(" + quote_name(name, "column") + " AS CHAR)";
  sql += " FROM " + quote_table(database, table);
  if (!condition.empty()) sql += " WHERE " + condition;
  sql += sql_common::order_by_positions(sql_common::column_names(columns), order_by);
  return sql;
}

std::string placeholder_for(Kind kind) {
  switch (kind) {
    case Kind::integer:
    case Kind::bits: return "CAST(? AS DECIMAL(65,0))";
    case Kind::decimal: return "CAST(? AS DECIMAL(65,30))";
    case Kind::number: return "CAST(? AS DOUBLE)";
    default: return "?";
  }
}

std::string columns_sql(Flavor flavor) {
  std::string sql =
      "SELECT c.TABLE_NAME, t.TABLE_TYPE, c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.IS_NULLABLE, "
      "CAST(COALESCE(s.SEQ_IN_INDEX, 0) AS CHAR), ";
  sql += flavor == Flavor::mariadb ? "CAST(cc.CONSTRAINT_NAME IS NOT NULL AS CHAR) " : "'0' ";
  sql +=
      "FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND "
      "t.TABLE_NAME = c.TABLE_NAME LEFT JOIN information_schema.STATISTICS s ON s.TABLE_SCHEMA = c.TABLE_SCHEMA AND "
      "s.TABLE_NAME = c.TABLE_NAME AND s.INDEX_NAME = 'PRIMARY' AND s.COLUMN_NAME = c.COLUMN_NAME ";
  if (flavor == Flavor::mariadb) {
    sql +=
        "LEFT JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND "
        "cc.TABLE_NAME = c.TABLE_NAME AND cc.CONSTRAINT_NAME = c.COLUMN_NAME AND cc.CHECK_CLAUSE = "
        "CONCAT('json_valid(`', c.COLUMN_NAME, '`)') ";
  }
  sql += "WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW') ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";
  return sql;
}

}  // namespace mysql_source
