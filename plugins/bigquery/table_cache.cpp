#include "table_cache.hpp"

namespace bigquery {

Table parse_table(const json::object& table_resource) {
  Table table;
  if (const auto* type = table_resource.if_contains("type"); type && type->is_string()) {
    table.type = std::string(type->get_string());
  }
  const auto* schema = table_resource.if_contains("schema");
  table.fields = parse_table_schema(schema ? *schema : json::value());
  return table;
}

const Table& TableCache::get(const std::string& dataset, const std::string& table_id) {
  const auto key = std::make_pair(dataset, table_id);
  if (auto found = tables_.find(key); found != tables_.end()) return found->second;
  return tables_.emplace(key, parse_table(api_.get_table(dataset, table_id))).first->second;
}

}  // namespace bigquery
