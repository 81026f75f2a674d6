#include "host/sync/stream_plan.hpp"

#include "host/config/config_error.hpp"
#include "host/common/vocabulary.hpp"
#include "host/target/identifiers.hpp"
#include "host/target/target.hpp"

#include <algorithm>
#include <set>

namespace sluice::host {

namespace {

namespace json = boost::json;

struct CatalogStream {
  const json::object* entry = nullptr;  // the stream's object in the catalog
  std::string ns;
  std::string name;
  json::object schema;
  std::vector<SyncMode> modes;
  FieldPath default_cursor;
  std::vector<FieldPath> primary_key;
  bool source_defined_cursor = false;       // the connection may not choose another cursor
  bool source_defined_primary_key = false;  // nor another key
};

bool flag(const json::object& stream, std::string_view name) {
  const auto* value = stream.if_contains(name);
  return value && value->is_bool() && value->get_bool();
}

std::vector<CatalogStream> parse_catalog(const json::object& catalog) {
  std::vector<CatalogStream> out;
  for (const auto& entry : catalog.at("streams").as_array()) {
    const auto* obj = entry.if_object();
    if (!obj || !obj->contains("name") || !obj->at("name").is_string()) {
      throw ConfigError("catalog: every stream needs a string \"name\"");
    }
    CatalogStream stream;
    stream.entry = obj;
    stream.name = std::string(obj->at("name").get_string());
    if (const auto* ns = obj->if_contains("namespace"); ns && ns->is_string()) {
      stream.ns = std::string(ns->get_string());
    }
    if (const auto* schema = obj->if_contains("json_schema"); schema && schema->is_object()) {
      stream.schema = schema->get_object();
    }
    if (const auto* modes = obj->if_contains("supported_sync_modes"); modes && modes->is_array()) {
      for (const auto& mode : modes->get_array()) {
        if (auto parsed = mode.is_string() ? parse_sync_mode(std::string(mode.get_string())) : std::nullopt) {
          stream.modes.push_back(*parsed);
        }
      }
    }
    if (const auto* cursor = obj->if_contains("default_cursor_field")) {
      stream.default_cursor = field_path_from_json(*cursor).value_or(FieldPath{});
    }
    if (const auto* key = obj->if_contains("primary_key"); key && key->is_array()) {
      for (const auto& part : key->get_array()) stream.primary_key.push_back(field_path_from_json(part).value_or(FieldPath{}));
    }
    stream.source_defined_cursor = flag(*obj, "source_defined_cursor");
    stream.source_defined_primary_key = flag(*obj, "source_defined_primary_key");
    out.push_back(std::move(stream));
  }
  return out;
}

// "org_id, user_id"; "none" for no key (also used for a cursor: {path}).
std::string join_key(const std::vector<FieldPath>& key) {
  std::string out;
  for (const auto& part : key) out += (out.empty() ? "" : ", ") + join_path(part);
  return out.empty() ? "none" : out;
}

// The selection the connection makes: its list, or every stream of the
// catalog in its default mode when it lists none.
std::vector<StreamSelection> selection_of(const Connection& connection, const std::vector<CatalogStream>& streams) {
  if (connection.streams) return *connection.streams;
  std::vector<StreamSelection> selection;
  for (const auto& stream : streams) selection.push_back({stream.name, stream.ns, {}, {}, {}});
  return selection;
}

bool kept(const std::vector<std::string>& only, const std::string& name) {
  return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
}

// The catalog stream a selection names: the first with its name, in its
// namespace when the selection gives one; nullptr when there is none.
const CatalogStream* find_stream(const std::vector<CatalogStream>& streams, const StreamSelection& selected) {
  auto found = std::find_if(streams.begin(), streams.end(), [&](const CatalogStream& s) {
    return s.name == selected.name && (selected.ns.empty() || s.ns == selected.ns);
  });
  return found == streams.end() ? nullptr : &*found;
}

// Field names of the schema's top-level properties, in schema order.
std::vector<std::string> property_names(const json::object& schema) {
  std::vector<std::string> names;
  if (const auto* properties = schema.if_contains("properties"); properties && properties->is_object()) {
    for (const auto& property : properties->get_object()) names.emplace_back(property.key());
  }
  return names;
}

// Maps a top-level field path to its column, or records an error.
std::string column_for(const FieldPath& path, const std::vector<ColumnDef>& columns,
                       const std::string& what, const std::string& stream, std::vector<std::string>& errors) {
  if (path.size() != 1) {
    errors.push_back("stream " + stream + ": " + what + " " + join_path(path) +
                     " must be a top-level field (nested paths are not supported)");
    return "";
  }
  for (const auto& column : columns) {
    if (column.source_name == path[0]) return column.name;
  }
  errors.push_back("stream " + stream + ": " + what + " " + path[0] + " is not a field of the stream's schema");
  return "";
}

}  // namespace

SyncMode default_sync_mode(const std::vector<SyncMode>& supported, bool has_cursor, bool has_key) {
  auto supports = [&](SyncMode mode) {
    return std::find(supported.begin(), supported.end(), mode) != supported.end();
  };
  if (has_cursor && has_key && supports(SyncMode::incremental_append_dedup)) {
    return SyncMode::incremental_append_dedup;
  }
  if (has_cursor && supports(SyncMode::incremental_append)) return SyncMode::incremental_append;
  if (supports(SyncMode::full_refresh_overwrite) || supported.empty()) return SyncMode::full_refresh_overwrite;
  return supported.front();
}

std::string destination_namespace(const NamespaceRule& rule, const std::string& source_ns,
                                  const std::string& target_default) {
  switch (rule.definition) {
    case NamespaceDefinition::source: return source_ns.empty() ? target_default : source_ns;
    case NamespaceDefinition::destination: return target_default;
    case NamespaceDefinition::custom: {
      std::string out = rule.format;
      const std::string token = "${SOURCE_NAMESPACE}";
      for (size_t at = out.find(token); at != std::string::npos; at = out.find(token, at + source_ns.size())) {
        out.replace(at, token.size(), source_ns);
      }
      return out.empty() ? target_default : out;
    }
  }
  return target_default;
}

std::vector<StreamPlan> plan_streams(const json::object& catalog, const Connection& connection,
                                     const std::vector<std::string>& only, const Target& target) {
  const auto streams = parse_catalog(catalog);
  std::vector<std::string> errors;

  const std::vector<StreamSelection> selection = selection_of(connection, streams);
  for (const auto& name : only) {
    bool known = std::any_of(selection.begin(), selection.end(), [&](const auto& s) { return s.name == name; });
    if (!known) errors.push_back("--streams: " + name + " is not a selected stream of this connection");
  }

  std::vector<StreamPlan> plans;
  std::set<TableRef> tables;
  const size_t max_bytes = target.max_identifier_bytes();
  for (const auto& selected : selection) {
    if (!kept(only, selected.name)) continue;
    const CatalogStream* found = find_stream(streams, selected);
    if (!found) {
      std::string available;
      for (const auto& s : streams) available += (available.empty() ? "" : ", ") + s.name;
      errors.push_back("streams: no stream named " + selected.name + " in the catalog (available: " +
                       available + ")");
      continue;
    }
    const CatalogStream& stream = *found;
    StreamPlan plan;
    plan.source_ns = stream.ns;
    plan.name = stream.name;
    plan.json_schema = stream.schema;
    plan.cursor_field = selected.cursor_field.value_or(stream.default_cursor);
    plan.primary_key = selected.primary_key.value_or(stream.primary_key);
    plan.mode = selected.mode.value_or(
        default_sync_mode(stream.modes, !plan.cursor_field.empty(), !plan.primary_key.empty()));
    const std::string who = plan.display_name();
    // A source-defined cursor or key is how the source reads (or
    // identifies) records: another one would silently sync the wrong rows.
    if (stream.source_defined_cursor && selected.cursor_field && *selected.cursor_field != stream.default_cursor) {
      errors.push_back("stream " + who + ": the cursor is defined by the source (" + join_key({stream.default_cursor}) +
                       "); remove cursor_field from the connection");
    }
    if (stream.source_defined_primary_key && selected.primary_key && *selected.primary_key != stream.primary_key) {
      errors.push_back("stream " + who + ": the primary key is defined by the source (" +
                       join_key(stream.primary_key) + "); remove primary_key from the connection");
    }
    if (std::find(stream.modes.begin(), stream.modes.end(), plan.mode) == stream.modes.end()) {
      errors.push_back("stream " + who + ": sync mode " + to_string(plan.mode) +
                       " is not supported by the plugin (supported: " + mode_list(stream.modes) + ")");
      continue;
    }

    std::string ns = destination_namespace(connection.namespace_rule, stream.ns, target.default_namespace());
    plan.table.ns = ns.empty() ? "" : normalize_identifier(ns, max_bytes);
    plan.table.name = normalize_identifier(connection.namespace_rule.prefix + stream.name, max_bytes);
    if (!tables.insert(plan.table).second) {
      errors.push_back("stream " + who + ": destination table " + plan.table.display() +
                       " is already used by another selected stream");
    }

    auto names = property_names(stream.schema);
    std::vector<std::string> reserved;
    for (const auto& meta : metadata_columns()) reserved.push_back(meta.name);
    auto normalised = unique_identifiers(names, reserved, max_bytes);
    const auto& properties = stream.schema.contains("properties") && stream.schema.at("properties").is_object()
                                 ? stream.schema.at("properties").get_object() : json::object();
    for (size_t i = 0; i < names.size(); ++i) {
      plan.columns.push_back({names[i], normalised[i], column_type_for(properties.at(names[i]))});
    }

    if (is_incremental(plan.mode)) {
      if (plan.cursor_field.empty()) {
        errors.push_back("stream " + who + ": " + to_string(plan.mode) +
                         " needs a cursor_field (the stream declares no default)");
      } else {
        plan.cursor_column = column_for(plan.cursor_field, plan.columns, "cursor field", who, errors);
      }
    }
    if (plan.mode == SyncMode::incremental_append_dedup) {
      if (plan.primary_key.empty()) {
        errors.push_back("stream " + who +
                         ": incremental_append_dedup needs a primary_key (the stream declares none)");
      }
      for (const auto& part : plan.primary_key) {
        plan.key_columns.push_back(column_for(part, plan.columns, "primary key field", who, errors));
      }
    }
    for (auto& meta : metadata_columns()) plan.columns.push_back(meta);
    plans.push_back(std::move(plan));
  }
  if (!errors.empty()) throw ConfigError(errors);
  return plans;
}

std::vector<const json::object*> selected_catalog_streams(const json::object& catalog, const Connection& connection,
                                                          const std::vector<std::string>& only) {
  const auto streams = parse_catalog(catalog);
  std::vector<const json::object*> out;
  for (const auto& selected : selection_of(connection, streams)) {
    if (!kept(only, selected.name)) continue;
    if (const CatalogStream* found = find_stream(streams, selected)) out.push_back(found->entry);
  }
  return out;
}

}  // namespace sluice::host
