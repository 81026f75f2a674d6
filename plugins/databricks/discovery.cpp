#include "discovery.hpp"

#include <sluice/support/pagination.hpp>

#include <set>

namespace databricks {

namespace {

using sluice::support::url_encode;

// Every object of `list_key` on every page of `path` (a query without page_token).
std::vector<json::object> list_all(DatabricksApi& api, const std::string& path, const char* list_key,
                                   const std::string& what) {
  std::vector<json::object> items;
  sluice::support::for_each_token_page(
      [&](const std::string& token) {
        json::object page = api.get(path + (token.empty() ? "" : "&page_token=" + url_encode(token)), what);
        if (auto* list = page.if_contains(list_key); list && list->is_array()) {
          for (auto& item : list->as_array()) {
            if (item.is_object()) items.push_back(std::move(item.as_object()));
          }
        }
        return string_member(page, "next_page_token");
      },
      what);
  return items;
}

}  // namespace

std::string schema_of_namespace(const std::string& ns, const Settings& settings) {
  const std::string prefix = settings.catalog + ".";
  if (ns.size() <= prefix.size() || ns.compare(0, prefix.size(), prefix) != 0) {
    throw sluice::Error(sluice::ErrorKind::config, "namespace " + ns + " is not a schema of catalog " +
                                                       settings.catalog + " (CATALOG.SCHEMA); rerun discover");
  }
  return ns.substr(prefix.size());
}

sluice::Stream stream_of_table(const json::object& table, const std::string& ns) {
  sluice::Stream stream;
  stream.ns = ns;
  stream.name = string_member(table, "name");
  json::object properties;
  if (const auto* columns = table.if_contains("columns"); columns && columns->is_array()) {
    for (const Column& column : parse_columns(*columns)) properties[column.name] = value_schema(column);
  }
  stream.json_schema = json::object{{"type", "object"}, {"properties", std::move(properties)}};
  stream.sync_modes = sluice::all_sync_modes();
  const std::string type = string_member(table, "table_type");
  const bool view = type == "VIEW" || type == "MATERIALIZED_VIEW" || type == "METRIC_VIEW";
  stream.description = (view ? "view " : "table ") + ns + "." + stream.name + (type.empty() ? "" : " (" + type + ")");
  if (const auto* constraints = table.if_contains("table_constraints"); constraints && constraints->is_array()) {
    for (const auto& constraint : constraints->get_array()) {
      const auto* object = constraint.if_object();
      const auto* key = object ? object->if_contains("primary_key_constraint") : nullptr;
      const auto* columns = key && key->is_object() ? key->get_object().if_contains("child_columns") : nullptr;
      if (!columns || !columns->is_array()) continue;
      for (const auto& name : columns->get_array()) {
        if (name.is_string()) stream.primary_key.push_back({std::string(name.get_string())});
      }
    }
  }
  return stream;
}

std::vector<sluice::Stream> discover_streams(DatabricksApi& api, const Settings& settings,
                                             const std::vector<sluice::StreamRef>& selected) {
  const std::string catalog = url_encode(settings.catalog);
  std::vector<std::string> schemas = settings.schemas;
  std::set<std::pair<std::string, std::string>> wanted;  // (schema, table); schema "" : any
  bool all_namespaced = !selected.empty();
  std::set<std::string> selected_schemas;
  for (const auto& ref : selected) {
    const std::string schema = ref.ns.empty() ? std::string() : schema_of_namespace(ref.ns, settings);
    wanted.insert({schema, ref.name});
    if (schema.empty()) all_namespaced = false;
    selected_schemas.insert(schema);
  }
  if (all_namespaced) schemas.assign(selected_schemas.begin(), selected_schemas.end());
  if (schemas.empty()) {
    for (const auto& schema : list_all(api, "/api/2.1/unity-catalog/schemas?catalog_name=" + catalog + "&max_results=0",
                                       "schemas", "listing the schemas of catalog " + settings.catalog)) {
      const std::string name = string_member(schema, "name");
      if (!name.empty() && name != "information_schema") schemas.push_back(name);
    }
  }
  std::vector<sluice::Stream> streams;
  for (const auto& schema : schemas) {
    const std::string ns = settings.catalog + "." + schema;
    const auto tables = list_all(api,
                                 "/api/2.1/unity-catalog/tables?catalog_name=" + catalog + "&schema_name=" +
                                     url_encode(schema) + "&max_results=0&omit_columns=false",
                                 "tables", "listing the tables of " + ns);
    for (const auto& table : tables) {
      const std::string name = string_member(table, "name");
      if (!wanted.empty() && !wanted.count({schema, name}) && !wanted.count({"", name})) continue;
      streams.push_back(stream_of_table(table, ns));
    }
  }
  return streams;
}

}  // namespace databricks
