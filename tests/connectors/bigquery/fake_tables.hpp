// The fake BigQuery's data: datasets of tables and views, each with a REST
// TableSchema and rows kept in the API's wire form ({"f":[{"v":...}]}, every
// scalar a string, TIMESTAMP as integer microseconds), so the fake serves
// exactly what tests put in.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TableFieldSchema
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list#TableRow
#pragma once

#include <boost/json.hpp>

#include <functional>

#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bigquery_fake {

namespace json = boost::json;

struct FakeTable {
  std::string type = "TABLE";  // TABLE, VIEW, MATERIALIZED_VIEW, EXTERNAL, SNAPSHOT
  json::array fields;          // TableSchema.fields, as the API returns them
  std::vector<json::value> rows;  // each {"f": [...]}, cells in schema order
};

// A table as the fake keeps it: immutable once added (a job reads the
// table it was started on, even if a test replaces it), each row's wire
// text encoded once, so a result page is a copy of its rows' text.
struct StoredTable {
  FakeTable table;
  std::vector<std::string> wire;  // json::serialize(table.rows[i]): TIMESTAMP as integer microseconds
  std::vector<int64_t> column_bytes;  // per top-level column: its data size over all rows
  // A generated table (add_generated_table): `generated_rows` rows, row i's
  // wire text made when a page asks for it, so a huge table costs no memory.
  size_t generated_rows = 0;
  std::function<std::string(size_t)> generate;
};

// A cell's data size as BigQuery prices it.
// https://cloud.google.com/bigquery/pricing#data_size_calculation
int64_t data_size(const json::object& field, const json::value& v);

// dataset id -> table id -> table.
using FakeDatasets = std::map<std::string, std::map<std::string, std::shared_ptr<const StoredTable>>>;

// TableFieldSchema JSON: field("id", "INTEGER"), field("tags", "STRING", "REPEATED"),
// field("customer", "RECORD", "NULLABLE", {field("name", "STRING")}).
json::object field(const std::string& name, const std::string& type, const std::string& mode = "NULLABLE",
                   std::initializer_list<json::value> nested = {});

// Wire cells: cell("1"), null_cell(), record_cell({cell("a"), ...}),
// repeated_cell({cell("a"), cell("b")}); a row is row({cells...}).
json::value cell(const std::string& v);
json::value null_cell();
json::value record_cell(std::initializer_list<json::value> cells);
json::value repeated_cell(std::initializer_list<json::value> elements);
json::value repeated_cell(const std::vector<json::value>& elements);
json::value row(std::initializer_list<json::value> cells);
json::value row(const std::vector<json::value>& cells);

// `row` with its TIMESTAMP cells (nested ones too) as float seconds in
// E-notation ("1.714550000123456E9"), the API's encoding without
// formatOptions.useInt64Timestamp.
json::value with_float_timestamps(json::value row, const json::array& fields);

}  // namespace bigquery_fake
