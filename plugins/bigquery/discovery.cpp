#include "discovery.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace bigquery {

namespace {

using TableRef = std::pair<std::string, std::string>;  // dataset, table

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The (dataset, table) pairs the selection names, in selection order, each
// once. Datasets are listed and their tables listed only when a selection
// without a namespace needs them.
std::vector<TableRef> selected_tables(BigQueryApi& api, const std::vector<std::string>& datasets,
                                      const std::vector<sluice::StreamRef>& selected) {
  std::optional<std::vector<std::string>> searched;
  std::map<std::string, std::vector<std::string>> listed;
  std::vector<TableRef> out;
  auto add = [&](TableRef ref) {
    if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(std::move(ref));
  };
  for (const auto& ref : selected) {
    if (!ref.ns.empty()) {
      if (datasets.empty() || contains(datasets, ref.ns)) add({ref.ns, ref.name});
      continue;
    }
    if (!searched) searched = datasets.empty() ? api.list_datasets() : datasets;
    for (const auto& dataset : *searched) {
      auto [tables, fresh] = listed.try_emplace(dataset);
      if (fresh) tables->second = api.list_tables(dataset);
      if (contains(tables->second, ref.name)) add({dataset, ref.name});
    }
  }
  return out;
}

}  // namespace

sluice::Stream stream_for_table(const std::string& dataset, const std::string& table_id, const Table& table) {
  sluice::Stream stream;
  stream.name = table_id;
  stream.ns = dataset;
  stream.json_schema = record_json_schema(table.fields);
  stream.json_schema["x-bigquery-table-type"] = table.type;
  stream.sync_modes = sluice::all_sync_modes();
  stream.description = "BigQuery " + table.type + " " + dataset + "." + table_id;
  return stream;
}

std::vector<sluice::Stream> discover_streams(BigQueryApi& api, TableCache& tables,
                                             const std::vector<std::string>& datasets,
                                             const std::vector<sluice::StreamRef>& selected) {
  std::vector<TableRef> refs;
  if (!selected.empty()) {
    refs = selected_tables(api, datasets, selected);
  } else {
    for (const auto& dataset : datasets.empty() ? api.list_datasets() : datasets) {
      for (auto& table : api.list_tables(dataset)) refs.emplace_back(dataset, std::move(table));
    }
  }
  std::vector<sluice::Stream> streams;
  for (const auto& [dataset, table] : refs) streams.push_back(stream_for_table(dataset, table, tables.get(dataset, table)));
  return streams;
}

}  // namespace bigquery
