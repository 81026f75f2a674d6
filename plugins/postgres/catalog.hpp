// Discovery from pg_catalog: the tables, partitioned tables, views,
// materialized views and foreign tables of the chosen schemas (partitions
// are read through their parent), their columns with base types, and
// primary keys. A stream's namespace is its schema.
#pragma once

#include "column_type.hpp"
#include "session.hpp"

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace postgres {

struct Table {
  std::string schema, name;
  char relkind = 'r';  // pg_class.relkind: r table, p partitioned, v view, m materialized view, f foreign
  std::vector<Column> columns;
  std::vector<std::string> primary_key;  // in key order
};

// The catalog query: $1 the schemas as a text array ('{}': every one but
// pg_catalog, information_schema, pg_toast and pg_temp_*).
std::string tables_sql();

// Every readable relation the settings select (schemas, include/exclude),
// in schema and name order; `only` (not empty) limits it to those streams.
std::vector<Table> list_tables(Session& session, const Settings& settings,
                               const std::vector<sluice::StreamRef>& only = {});

// The one table a stream reads, or Error(config) when it is gone or
// filtered out ("table s.t was not found; rerun discover").
Table find_table(Session& session, const Settings& settings, const std::string& schema, const std::string& name);

sluice::Stream to_stream(const Table& table);

}  // namespace postgres
