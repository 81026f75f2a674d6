// What the engine will do for each selected stream, decided and validated
// before any data moves: the mode (checked against what the plugin
// declares), cursor and key, the destination table after namespace rules,
// and the columns from the stream's JSON Schema.
#pragma once

#include "host/config/connection.hpp"
#include "host/target/column.hpp"

#include "host/common/vocabulary.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

class Target;

struct StreamPlan {
  std::string source_ns;  // the stream's namespace in the catalog ("" = none)
  std::string name;       // the stream's name in the catalog
  SyncMode mode = SyncMode::full_refresh_overwrite;
  FieldPath cursor_field;
  std::vector<FieldPath> primary_key;
  boost::json::object json_schema;

  TableRef table;                  // destination (namespace rules applied)
  std::vector<ColumnDef> columns;  // the stream's columns, then metadata_columns()
  std::string cursor_column;       // normalised; "" unless incremental
  std::vector<std::string> key_columns;  // normalised; empty unless dedup

  std::string display_name() const { return source_ns.empty() ? name : source_ns + "." + name; }
  // The stream's own columns (without the metadata ones).
  size_t data_width() const { return columns.size() - metadata_columns().size(); }
};

// Builds one plan per selected stream. `only` (from --streams) restricts the
// selection by stream name. Throws ConfigError with one line per problem,
// among them a cursor_field (primary_key) that differs from the one of a
// stream whose catalog entry says "source_defined_cursor": true
// ("source_defined_primary_key": true): `stream users: the cursor is defined
// by the source (updated_at); remove cursor_field from the connection`.
std::vector<StreamPlan> plan_streams(const boost::json::object& catalog, const Connection& connection,
                                     const std::vector<std::string>& only, const Target& target);

// The catalog entries plan_streams plans, in the same order: for each stream
// the connection selects (all of the catalog's when it lists none) and `only`
// keeps, the first catalog stream with its name, in its namespace when the
// selection gives one. Selections naming no catalog stream are left out
// (plan_streams reports them). The pointers point into `catalog`. Throws
// ConfigError, as plan_streams does, for a catalog stream without a name.
std::vector<const boost::json::object*> selected_catalog_streams(const boost::json::object& catalog,
                                                                 const Connection& connection,
                                                                 const std::vector<std::string>& only);

// The default mode of a catalog stream when the connection lists none:
// dedup when it can be deduplicated, else incremental append, else overwrite.
SyncMode default_sync_mode(const std::vector<SyncMode>& supported, bool has_cursor, bool has_key);

// The destination namespace of a stream under a rule ("" = target default).
std::string destination_namespace(const NamespaceRule& rule, const std::string& source_ns,
                                  const std::string& target_default);

}  // namespace sluice::host
