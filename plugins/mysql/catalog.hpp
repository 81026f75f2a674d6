// Discovery from information_schema: the base tables and views of the
// configured database (its namespace), their columns and primary keys.
#pragma once

#include "column_type.hpp"
#include "session.hpp"

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace mysql_source {

struct Table {
  std::string database, name;
  bool view = false;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;  // in key order
};

// The tables and views the settings select, in name order; `only` (not
// empty) limits it to those streams.
std::vector<Table> list_tables(Session& session, const Settings& settings,
                               const std::vector<sluice::StreamRef>& only = {});

// The one table a stream reads, or Error(config) when it is gone.
Table find_table(Session& session, const Settings& settings, const std::string& name);

sluice::Stream to_stream(const Table& table);

}  // namespace mysql_source
