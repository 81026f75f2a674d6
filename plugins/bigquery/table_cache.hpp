// The tables one session has described: each Table resource is fetched once
// (tables.get) and kept for the session, so read() uses the schema discover
// fetched instead of asking again.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/get
#pragma once

#include "bigquery_api.hpp"
#include "field_schema.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bigquery {

// What the connector uses of a Table resource.
struct Table {
  std::string type = "TABLE";  // TABLE, VIEW, MATERIALIZED_VIEW, EXTERNAL, SNAPSHOT
  std::vector<Field> fields;   // schema.fields
};

// The Table's type and schema. Throws sluice::Error(source) for a field
// without a name.
Table parse_table(const json::object& table_resource);

class TableCache {
 public:
  explicit TableCache(BigQueryApi& api) : api_(api) {}
  // The table, fetched on first use. Throws what tables.get throws (404: a
  // config error naming the table).
  const Table& get(const std::string& dataset, const std::string& table_id);

 private:
  BigQueryApi& api_;
  std::map<std::pair<std::string, std::string>, Table> tables_;
};

}  // namespace bigquery
