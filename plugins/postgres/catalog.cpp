#include "catalog.hpp"

#include "flavor.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/table_filter.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace postgres {

std::string tables_sql() {
  // One row per column; domains resolved to their base type (one level:
  // a domain over a domain reads as text), enums and arrays by typtype and
  // typcategory; key position (1-based) from the primary key index, whose
  // int2vector of columns is indexed from 0.
  return R"SQL(SELECT n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod),
  bt.typname, bt.typtype::text, bt.typcategory::text, a.attnotnull::text,
  coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0)::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
ORDER BY n.nspname, c.relname, a.attnum)SQL";
}

namespace {

// '{"a","b\"c"}': a text[] literal of `values`, each element quoted.
std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out += '"';
  }
  return out + "}";
}

const char* describe(char relkind) {
  switch (relkind) {
    case 'p': return "partitioned table";
    case 'v': return "view";
    case 'm': return "materialized view";
    case 'f': return "foreign table";
    default: return "table";
  }
}

}  // namespace

std::vector<Table> list_tables(Session& session, const Settings& settings, const std::vector<sluice::StreamRef>& only) {
  std::vector<std::string> schemas = settings.schemas;
  std::set<std::pair<std::string, std::string>> wanted;
  bool all_named = !only.empty();
  for (const auto& ref : only) {
    wanted.insert({ref.ns, ref.name});
    all_named = all_named && !ref.ns.empty();
  }
  if (all_named && schemas.empty()) {
    std::set<std::string> named;
    for (const auto& ref : only) named.insert(ref.ns);
    schemas.assign(named.begin(), named.end());
  }
  Result result = session.exec(tables_sql(), "listing the tables of " + settings.where, {text_array(schemas)});
  std::vector<Table> tables;
  std::map<int, std::string> key;  // position -> column, of the current table
  auto finish = [&] {
    if (tables.empty()) return;
    Table& table = tables.back();
    for (const auto& [position, name] : key) table.primary_key.push_back(name);
    key.clear();
    // Relations with rows of their own (not views) chosen for xmin reads.
    const bool xmin = std::any_of(settings.xmin_tables.begin(), settings.xmin_tables.end(), [&](const auto& pattern) {
      return sql_common::glob_match(pattern, table.schema + "." + table.name);
    });
    if (xmin && (table.relkind == 'r' || table.relkind == 'p' || table.relkind == 'm')) {
      table.columns.push_back({kXminColumn, "xid8", "xmin", Kind::integer, true});
    }
  };
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    auto cell = [&](int c) { return std::string(PQgetvalue(result.get(), r, c)); };
    const std::string schema = cell(0), name = cell(1);
    if (!settings.filter.accepts(schema, name)) continue;
    if (!wanted.empty() && !wanted.count({schema, name}) && !wanted.count({"", name})) continue;
    if (tables.empty() || tables.back().schema != schema || tables.back().name != name) {
      finish();
      tables.push_back({schema, name, cell(2).empty() ? 'r' : cell(2)[0], {}, {}});
    }
    Column column;
    column.name = cell(3);
    column.type = cell(4);
    column.base = cell(5);
    column.kind = kind_of(column.base, cell(6).empty() ? 'b' : cell(6)[0], cell(7).empty() ? 'U' : cell(7)[0]);
    column.not_null = cell(8) == "true";
    const int position = std::stoi(cell(9));
    if (position > 0) key[position] = column.name;
    tables.back().columns.push_back(std::move(column));
  }
  finish();
  return tables;
}

Table find_table(Session& session, const Settings& settings, const std::string& schema, const std::string& name) {
  auto tables = list_tables(session, settings, {{schema, name}});
  for (auto& table : tables) {
    if (table.schema == schema && table.name == name) return std::move(table);
  }
  throw sluice::Error(sluice::ErrorKind::config, "table " + sql_common::printable(schema) + "." +
                                                     sql_common::printable(name) + " was not found in " +
                                                     settings.where + " (or is excluded); rerun discover");
}

sluice::Stream to_stream(const Table& table) {
  sluice::Stream stream;
  stream.name = table.name;
  stream.ns = table.schema;
  json::object properties;
  for (const auto& column : table.columns) properties[column.name] = column_schema(column);
  stream.json_schema = {{"type", "object"}, {"properties", std::move(properties)}};
  stream.sync_modes = sluice::all_sync_modes();
  for (const auto& part : table.primary_key) stream.primary_key.push_back({part});
  if (!table.columns.empty() && table.columns.back().base == "xmin") stream.default_cursor_field = {kXminColumn};
  stream.description = std::string(describe(table.relkind)) + " " + table.schema + "." + table.name;
  return stream;
}

}  // namespace postgres
