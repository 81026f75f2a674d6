#include "discovery.hpp"

#include "field_schema.hpp"

namespace bigquery {

sluice::Stream stream_for_table(const std::string& dataset, const std::string& table_id,
                                const json::object& table_resource) {
  sluice::Stream stream;
  stream.name = table_id;
  stream.ns = dataset;
  const auto* type_value = table_resource.if_contains("type");
  const std::string type = type_value && type_value->is_string() ? std::string(type_value->get_string()) : "TABLE";
  const auto* schema = table_resource.if_contains("schema");
  stream.json_schema = record_json_schema(parse_table_schema(schema ? *schema : json::value()));
  stream.json_schema["x-bigquery-table-type"] = type;
  stream.sync_modes = sluice::all_sync_modes();
  stream.description = "BigQuery " + type + " " + dataset + "." + table_id;
  return stream;
}

std::vector<sluice::Stream> discover_streams(BigQueryApi& api, const std::vector<std::string>& datasets) {
  std::vector<sluice::Stream> streams;
  const std::vector<std::string> selected = datasets.empty() ? api.list_datasets() : datasets;
  for (const auto& dataset : selected) {
    for (const auto& table : api.list_tables(dataset)) {
      streams.push_back(stream_for_table(dataset, table, api.get_table(dataset, table)));
    }
  }
  return streams;
}

}  // namespace bigquery
