#include "host/target/kept_rows.hpp"

#include "host/target/identifiers.hpp"
#include "host/target/sql_datetime.hpp"
#include "host/target/upsert_sql.hpp"

#include <cstdlib>
#include <cstring>

namespace sluice::host {

namespace {

// How each engine reads a bound instant next to a timestamp column: the
// text its writers store (SQLite keeps the canonical UTC text, whose text
// order is time order), or the literal its type input takes.
struct InstantStyle {
  const char* engine;
  bool rfc3339;  // "YYYY-MM-DDTHH:MM:SS.ffffffZ"; else "YYYY-MM-DD
                 // HH:MM:SS.ffffff" + zone
  const char* zone;
};
constexpr InstantStyle kInstantStyles[] = {
    {"sqlite", true, ""},
    {"postgresql", false, "+00"},
    {"mysql", false, ""},  // DATETIME(6) holds UTC (the session's time_zone is +00:00)
};

uint64_t count(Target& target, const Sql& sql) {
  const SqlRows rows = target.connection().query(sql);
  return rows.empty() || !rows[0][0] ? 0 : std::strtoull(rows[0][0]->c_str(), nullptr, 10);
}

std::string column_list(const Dialect& dialect, const std::vector<ColumnDef>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  return quoted_list(dialect, names);
}

}  // namespace

TableRef kept_table(const Target& target, const TableRef& live) {
  return {live.ns, fit_identifier(live.name + "__replaced", target.max_identifier_bytes())};
}

std::string instant_value(const Dialect& dialect, support::Timestamp t) {
  for (const auto& style : kInstantStyles) {
    if (std::strcmp(style.engine, dialect.engine) != 0) continue;
    std::string out;
    if (style.rfc3339) {
      support::append_rfc3339(out, t, 6);
    } else {
      append_sql_datetime(out, t);
      out += style.zone;
    }
    return out;
  }
  throw TargetError(std::string(dialect.engine) + ": no instant style for backfills");
}

void prepare_kept_table(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns) {
  const TableRef kept = kept_table(target, live);
  std::vector<ColumnDef> all{{"", kBackfillColumn, ColumnType::text}};
  all.insert(all.end(), columns.begin(), columns.end());
  const auto existing = target.table_columns(kept);
  if (!existing) {
    target.create_table(kept, all);
    return;
  }
  for (const auto& column : all) {
    bool present = false;
    for (const auto& have : *existing) present = present || have.name == column.name;
    if (!present) target.add_column(kept, column);
  }
}

uint64_t move_to_kept(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns,
                      const std::string& key_column, const RowRange& range, const std::string& tag) {
  const Dialect& d = target.dialect();
  const std::string list = column_list(d, columns);
  const std::string from = target.qualified_name(live);
  const std::string kept = target.qualified_name(kept_table(target, live));
  Sql copy("INSERT INTO " + kept + " (" + d.quoted(kBackfillColumn) + ", " + list + ") SELECT ");
  copy.bind(tag) << ", " << list << " FROM " << from << " WHERE " << d.quoted(range.time_column) << " >= ";
  copy.bind(instant_value(d, range.from)) << " AND " << d.quoted(range.time_column) << " < ";
  copy.bind(instant_value(d, range.to));
  if (!range.match_column.empty()) {
    copy << " AND " << d.quoted(range.match_column) << " = ";
    copy.bind(range.match_value);
  }
  const uint64_t moved = target.connection().execute(copy);
  // By key, not by the range again: under READ COMMITTED a row committed
  // between the two statements would match the range here but was not
  // copied above.
  Sql remove("DELETE FROM " + from + " WHERE " + d.quoted(key_column) + " IN (SELECT " + d.quoted(key_column) +
             " FROM " + kept + " WHERE " + d.quoted(kBackfillColumn) + " = ");
  remove.bind(tag) << ")";
  target.connection().execute(remove);
  return moved;
}

uint64_t restore_from_kept(Target& target, const TableRef& live, const std::vector<ColumnDef>& columns,
                           const std::string& tag) {
  const Dialect& d = target.dialect();
  const std::string list = column_list(d, columns);
  const std::string kept = target.qualified_name(kept_table(target, live));
  Sql copy("INSERT INTO " + target.qualified_name(live) + " (" + list + ") SELECT " + list + " FROM " + kept +
           " WHERE " + d.quoted(kBackfillColumn) + " = ");
  copy.bind(tag);
  const uint64_t restored = target.connection().execute(copy);
  delete_rows_where(target, kept_table(target, live), kBackfillColumn, tag);
  return restored;
}

uint64_t delete_rows_where(Target& target, const TableRef& table, const std::string& column, const std::string& value) {
  Sql sql("DELETE FROM " + target.qualified_name(table) + " WHERE " + target.dialect().quoted(column) + " = ");
  sql.bind(value);
  return target.connection().execute(sql);
}

uint64_t count_rows_where(Target& target, const TableRef& table, const std::string& column, const std::string& value) {
  Sql sql("SELECT COUNT(*) FROM " + target.qualified_name(table) + " WHERE " + target.dialect().quoted(column) + " = ");
  sql.bind(value);
  return count(target, sql);
}

uint64_t kept_by_other(Target& target, const TableRef& live, const std::string& column, const std::string& value,
                       const std::string& tag) {
  const Dialect& d = target.dialect();
  Sql sql("SELECT COUNT(*) FROM " + target.qualified_name(kept_table(target, live)) + " WHERE " + d.quoted(column) +
          " = ");
  sql.bind(value) << " AND " << d.quoted(kBackfillColumn) << " <> ";
  sql.bind(tag);
  return count(target, sql);
}

uint64_t kept_keys_live(Target& target, const TableRef& live, const std::string& key_column, const std::string& tag) {
  const Dialect& d = target.dialect();
  Sql sql("SELECT COUNT(*) FROM " + target.qualified_name(kept_table(target, live)) + " WHERE " +
          d.quoted(kBackfillColumn) + " = ");
  sql.bind(tag) << " AND " << d.quoted(key_column) << " IN (SELECT " << d.quoted(key_column) << " FROM "
                << target.qualified_name(live) << ")";
  return count(target, sql);
}

}  // namespace sluice::host
