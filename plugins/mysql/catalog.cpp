#include "catalog.hpp"

#include "sql_common/identifiers.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace mysql_source {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::vector<Table> list_tables(Session& session, const Settings& settings, const std::vector<sluice::StreamRef>& only) {
  std::set<std::string> wanted;
  for (const auto& ref : only) {
    if (ref.ns.empty() || ref.ns == settings.database) wanted.insert(ref.name);
  }
  std::vector<Table> tables;
  std::map<int, std::string> key;
  auto finish = [&] {
    if (tables.empty()) return;
    for (const auto& [position, name] : key) tables.back().primary_key.push_back(name);
    key.clear();
  };
  session.stream_prepared(columns_sql(session.flavor()), {settings.database}, "listing the tables of " + settings.where(),
                          [&](const Row& row) {
                            auto cell = [&](size_t i) { return row[i] ? std::string(*row[i]) : std::string(); };
                            const std::string name = cell(0);
                            if (!settings.filter.accepts(settings.database, name)) return;
                            if (!only.empty() && !wanted.count(name)) return;
                            if (tables.empty() || tables.back().name != name) {
                              finish();
                              tables.push_back({settings.database, name, cell(1) == "VIEW", {}, {}});
                            }
                            Column column;
                            column.name = cell(2);
                            column.type = cell(3);
                            column.data_type = lower(cell(4));
                            column.kind = column_kind(column.data_type,
                                                      column.type.find("unsigned") != std::string::npos,
                                                      cell(7) == "1");
                            column.not_null = cell(5) == "NO";
                            const int position = std::stoi("0" + cell(6));
                            if (position > 0) key[position] = column.name;
                            tables.back().columns.push_back(std::move(column));
                          });
  finish();
  return tables;
}

Table find_table(Session& session, const Settings& settings, const std::string& name) {
  for (auto& table : list_tables(session, settings, {{settings.database, name}})) {
    if (table.name == name) return std::move(table);
  }
  throw sluice::Error(sluice::ErrorKind::config, "table " + sql_common::printable(settings.database) + "." +
                                                     sql_common::printable(name) + " was not found in " +
                                                     settings.where() + " (or is excluded); rerun discover");
}

sluice::Stream to_stream(const Table& table) {
  sluice::Stream stream;
  stream.name = table.name;
  stream.ns = table.database;
  json::object properties;
  for (const auto& column : table.columns) properties[column.name] = column_schema(column);
  stream.json_schema = {{"type", "object"}, {"properties", std::move(properties)}};
  stream.sync_modes = sluice::all_sync_modes();
  for (const auto& part : table.primary_key) stream.primary_key.push_back({part});
  stream.description = std::string(table.view ? "view " : "table ") + table.database + "." + table.name;
  return stream;
}

}  // namespace mysql_source
