#include "flavor.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/key_ranges.hpp"
#include "sql_common/sql_text.hpp"

#include <sluice/sdk.hpp>

#include <algorithm>

namespace postgres {

const char* to_string(Flavor flavor) {
  switch (flavor) {
    case Flavor::cockroachdb: return "CockroachDB";
    case Flavor::redshift: return "Redshift";
    case Flavor::postgres: break;
  }
  return "PostgreSQL";
}

Flavor detect_flavor(const std::string& version) {
  if (version.find("CockroachDB") != std::string::npos) return Flavor::cockroachdb;
  if (version.find("Redshift") != std::string::npos) return Flavor::redshift;
  return Flavor::postgres;
}

std::string session_setup_sql(Flavor flavor, std::chrono::seconds statement_timeout) {
  const std::string timeout = std::to_string(statement_timeout.count() * 1000);
  switch (flavor) {
    case Flavor::redshift:
      return "SET statement_timeout TO " + timeout + "; SET timezone TO 'UTC'; SET datestyle TO 'ISO, YMD'; "
             "SET extra_float_digits TO 3";
    case Flavor::cockroachdb:
      return "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = " + timeout +
             "; SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; "
             "SET extra_float_digits = 3; SET bytea_output = 'hex'";
    case Flavor::postgres: break;
  }
  return "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = " + timeout +
         "; SET lock_timeout = 30000; SET idle_in_transaction_session_timeout = 0; SET TIME ZONE 'UTC'; "
         "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3; "
         "SET bytea_output = 'hex'";
}

std::string quote_name(const std::string& name, const char* what) {
  return sql_common::quote_identifier(name, what, {'"', 63});
}

std::string quote_table(const std::string& schema, const std::string& table) {
  return quote_name(schema, "schema") + "." + quote_name(table, "table");
}

std::string select_expression(const Column& column) {
  if (!column.expression.empty()) return column.expression;
  const std::string name = quote_name(column.name, "column");
  if (column.base == "money") return name + "::numeric";
  if (column.kind == Kind::array) return "to_json(" + name + ")";
  return name;
}

std::string select_list(const std::vector<Column>& columns, Flavor) {
  std::string out;
  for (const auto& column : columns) {
    if (!out.empty()) out += ", ";
    out += select_expression(column);
  }
  return out.empty() ? "NULL" : out;
}

std::string range_condition(const Range& range, const std::string& key_column) {
  std::vector<std::string> parts;
  if (range.by == Range::By::blocks) {
    if (range.low) parts.push_back("ctid >= '(" + std::to_string(*range.low) + ",0)'::tid");
    if (range.high) parts.push_back("ctid < '(" + std::to_string(*range.high) + ",0)'::tid");
  } else if (range.by == Range::By::key) {
    const std::string key = quote_name(key_column, "column");
    if (range.low) parts.push_back(key + " >= " + std::to_string(*range.low));
    if (range.high) parts.push_back(key + " < " + std::to_string(*range.high));
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " AND ") + part;
  return out;
}

std::vector<Range> block_ranges(int64_t blocks, int64_t per_range) {
  per_range = std::max<int64_t>(per_range, 1);
  std::vector<Range> ranges;
  for (int64_t low = 0; low + per_range < blocks; low += per_range) {
    ranges.push_back({Range::By::blocks, low == 0 ? std::nullopt : std::optional<int64_t>(low), low + per_range});
  }
  const int64_t last = ranges.empty() ? 0 : *ranges.back().high;
  ranges.push_back({Range::By::blocks, last == 0 ? std::nullopt : std::optional<int64_t>(last), std::nullopt});
  return ranges;
}

std::vector<Range> key_ranges(int64_t min, int64_t max, int64_t parts) {
  std::vector<Range> ranges;
  for (const auto& range : sql_common::key_ranges(min, max, parts)) ranges.push_back({Range::By::key, range.low, range.high});
  return ranges;
}

bool reads_with_copy(Flavor flavor) { return flavor != Flavor::redshift; }

namespace {

std::string as_of_clause(const std::string& as_of) {
  if (as_of.empty()) return "";
  // cluster_logical_timestamp() text: digits and one '.', nothing else.
  const bool valid = std::all_of(as_of.begin(), as_of.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (!valid) throw sluice::Error(sluice::ErrorKind::source, "unexpected snapshot timestamp from the server");
  return " AS OF SYSTEM TIME '" + as_of + "'";
}

}  // namespace

std::string range_read_sql(Flavor flavor, const std::string& schema, const std::string& table,
                           const std::vector<Column>& columns, const Range& range, const std::string& key_column,
                           const std::string& as_of) {
  std::string select = "SELECT " + select_list(columns, flavor) + " FROM " + quote_table(schema, table) +
                       (flavor == Flavor::cockroachdb ? as_of_clause(as_of) : "");
  const std::string condition = range_condition(range, key_column);
  if (!condition.empty()) select += " WHERE " + condition;
  // In key order, so a resume point can say how far into a range a read
  // got (sql_common/range_resume.hpp).
  if (range.by == Range::By::key) select += " ORDER BY " + quote_name(key_column, "column");
  return reads_with_copy(flavor) ? "COPY (" + select + ") TO STDOUT" : select;
}

std::string begin_snapshot_sql(Flavor flavor) {
  return flavor == Flavor::cockroachdb ? std::string() : begin_read_sql(flavor);
}

std::string begin_read_sql(Flavor flavor) {
  switch (flavor) {
    case Flavor::redshift: return "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY";
    case Flavor::cockroachdb: return "BEGIN TRANSACTION READ ONLY";
    case Flavor::postgres: break;
  }
  return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
}

std::optional<std::string> export_snapshot_sql(Flavor flavor) {
  if (flavor == Flavor::postgres) return "SELECT pg_export_snapshot()";
  if (flavor == Flavor::cockroachdb) return "SELECT cluster_logical_timestamp()::text";
  return std::nullopt;
}

std::string import_snapshot_sql(const std::string& snapshot_id) {
  // pg_export_snapshot() ids are hex and '-' ("00000003-0000001B-1").
  const bool valid = !snapshot_id.empty() && std::all_of(snapshot_id.begin(), snapshot_id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') || c == '-';
  });
  if (!valid) throw sluice::Error(sluice::ErrorKind::source, "unexpected snapshot id from the server");
  return "SET TRANSACTION SNAPSHOT '" + snapshot_id + "'";
}

std::string table_size_sql() {
  return "SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint, c.reltuples::bigint, "
         "c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname = $1 AND c.relname = $2";
}

std::string key_bounds_sql(Flavor flavor, const std::string& schema, const std::string& table,
                           const std::string& key_column, const std::string& as_of, bool with_count) {
  const std::string key = quote_name(key_column, "column");
  return "SELECT min(" + key + ")::text, max(" + key + ")::text" + (with_count ? ", count(*)::text" : "") + " FROM " +
         quote_table(schema, table) + (flavor == Flavor::cockroachdb ? as_of_clause(as_of) : "");
}

std::string row_count_sql(const std::string& schema, const std::string& table) {
  return "SELECT count(*)::text FROM " + quote_table(schema, table);
}

std::string snapshot_bounds_sql() {
  return "SELECT pg_snapshot_xmin(pg_current_snapshot())::text, pg_snapshot_xmax(pg_current_snapshot())::text";
}

std::string xmin64_sql(int64_t snapshot_xmax) {
  const int64_t epoch = snapshot_xmax >> 32, low = snapshot_xmax & 0xffffffffLL;
  // A row's 32-bit xmin above the xmax's low half belongs to the epoch before.
  return "(((" + std::to_string(epoch) + " - CASE WHEN xmin::text::bigint > " + std::to_string(low) +
         " THEN 1 ELSE 0 END) << 32) | xmin::text::bigint)";
}

std::string incremental_sql(Flavor flavor, const std::string& schema, const std::string& table,
                            const std::vector<Column>& columns, const std::string& condition,
                            const std::vector<std::string>& order_by) {
  std::string sql = "SELECT " + select_list(columns, flavor);
  for (const auto& name : order_by) sql += ", " + quote_name(name, "column") + "::text";
  sql += " FROM " + quote_table(schema, table);
  if (!condition.empty()) sql += " WHERE " + condition;
  // By position: the ::text copies bear the same names.
  sql += sql_common::order_by_positions(sql_common::column_names(columns), order_by);
  return sql;
}

}  // namespace postgres
