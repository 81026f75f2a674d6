#include "discovery.hpp"

#include "identifiers.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace snowflake {

namespace {

std::string text_of(const json::value& cell) {
  return cell.is_string() ? std::string(cell.get_string()) : std::string();
}

int64_t number_of(const json::value& cell) {
  if (!cell.is_string()) return 0;
  try {
    return std::stoll(std::string(cell.get_string()));
  } catch (const std::exception&) {
    return 0;
  }
}

// The cell of `row` under `column` (SHOW output names its columns in lower case).
const json::value& cell_named(const json::array& row, const std::vector<Column>& columns, const char* name) {
  static const json::value null;
  for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    if (columns[i].name == name) return row[i];
  }
  return null;
}

}  // namespace

Statement columns_statement(const std::vector<std::string>& schemas) {
  Statement statement;
  statement.sql =
      "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, "
      "c.IS_NULLABLE, t.TABLE_TYPE FROM INFORMATION_SCHEMA.COLUMNS c JOIN INFORMATION_SCHEMA.TABLES t "
      "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA <> ?";
  statement.bindings.push_back({"TEXT", "INFORMATION_SCHEMA"});
  if (!schemas.empty()) {
    statement.sql += " AND c.TABLE_SCHEMA IN (";
    for (size_t i = 0; i < schemas.size(); ++i) {
      statement.sql += i ? ", ?" : "?";
      statement.bindings.push_back({"TEXT", schemas[i]});
    }
    statement.sql += ")";
  }
  statement.sql += " ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION";
  return statement;
}

std::string schema_of_namespace(const std::string& ns, const Settings& settings) {
  const std::string prefix = settings.database + ".";
  if (ns.size() <= prefix.size() || ns.compare(0, prefix.size(), prefix) != 0) {
    throw sluice::Error(sluice::ErrorKind::config, "namespace " + ns + " is not a schema of database " +
                                                       settings.database + " (DATABASE.SCHEMA); rerun discover");
  }
  return ns.substr(prefix.size());
}

std::vector<sluice::Stream> discover_streams(SnowflakeApi& api, const Settings& settings,
                                             const std::vector<sluice::StreamRef>& selected) {
  std::vector<std::string> schemas = settings.schemas;
  std::set<std::pair<std::string, std::string>> wanted;  // (schema, table)
  if (!selected.empty()) {
    std::set<std::string> selected_schemas;
    for (const auto& ref : selected) {
      const std::string schema = ref.ns.empty() ? std::string() : schema_of_namespace(ref.ns, settings);
      wanted.insert({schema, ref.name});
      if (!schema.empty()) selected_schemas.insert(schema);
    }
    if (std::all_of(selected.begin(), selected.end(), [](const auto& ref) { return !ref.ns.empty(); })) {
      schemas.assign(selected_schemas.begin(), selected_schemas.end());
    }
  }
  const json::array columns = api.all_rows(columns_statement(schemas), "listing the columns of " + settings.database);

  std::vector<Column> key_columns;
  Statement keys;
  keys.sql = "SHOW PRIMARY KEYS IN DATABASE " + quote_identifier(settings.database, "database");
  const json::array key_rows = api.all_rows(keys, "listing the primary keys of " + settings.database, &key_columns);
  // (schema, table) -> key columns by key_sequence
  std::map<std::pair<std::string, std::string>, std::map<int64_t, std::string>> primary_keys;
  for (const auto& row : key_rows) {
    const auto& cells = row.as_array();
    primary_keys[{text_of(cell_named(cells, key_columns, "schema_name")), text_of(cell_named(cells, key_columns, "table_name"))}]
                [number_of(cell_named(cells, key_columns, "key_sequence"))] = text_of(cell_named(cells, key_columns, "column_name"));
  }

  std::vector<sluice::Stream> streams;
  for (const auto& entry : columns) {
    const auto& row = entry.as_array();
    if (row.size() < 8) throw sluice::Error(sluice::ErrorKind::source, "INFORMATION_SCHEMA.COLUMNS answered a short row");
    const std::string schema = text_of(row[0]), table = text_of(row[1]);
    if (!wanted.empty() && !wanted.count({schema, table}) && !wanted.count({"", table})) continue;
    const std::string ns = settings.database + "." + schema;
    if (streams.empty() || streams.back().ns != ns || streams.back().name != table) {
      sluice::Stream stream;
      stream.ns = ns;
      stream.name = table;
      stream.json_schema = json::object{{"type", "object"}, {"properties", json::object{}}};
      stream.sync_modes = sluice::all_sync_modes();
      const std::string type = text_of(row[7]);
      stream.description = type == "VIEW" ? "view " + ns + "." + table : type == "BASE TABLE" ? "table " + ns + "." + table
                                                                                             : type + " " + ns + "." + table;
      if (auto key = primary_keys.find({schema, table}); key != primary_keys.end()) {
        for (const auto& [sequence, name] : key->second) stream.primary_key.push_back({name});
      }
      streams.push_back(std::move(stream));
    }
    Column column;
    column.name = text_of(row[2]);
    column.type_name = text_of(row[3]);
    column.kind = kind_of_data_type(column.type_name);
    column.precision = number_of(row[4]);
    column.scale = number_of(row[5]);
    column.nullable = text_of(row[6]) != "NO";
    streams.back().json_schema["properties"].as_object()[column.name] = value_schema(column);
  }
  return streams;
}

}  // namespace snowflake
