#include "host/acceptance/catalog_consistency.hpp"

#include "host/common/vocabulary.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

namespace json = boost::json;

bool flag(const json::object& stream, const char* key) {
  const auto* value = stream.if_contains(key);
  return value && value->is_bool() && value->get_bool();
}

// Whether `schema` declares `path`: each part must be among the "properties"
// of the level above, where that level lists any (an object schema without
// "properties" declares nothing to hold a path against).
bool declares(const json::object& schema, const FieldPath& path) {
  const json::object* level = &schema;
  for (const auto& part : path) {
    const auto* properties = level ? level->if_contains("properties") : nullptr;
    if (!properties || !properties->is_object()) return true;
    const auto* next = properties->get_object().if_contains(part);
    if (!next) return false;
    level = next->is_object() ? &next->get_object() : nullptr;
  }
  return true;
}

std::vector<FieldPath> key_of(const json::object& stream) {
  std::vector<FieldPath> key;
  const auto* list = stream.if_contains("primary_key");
  if (!list || !list->is_array()) return key;
  for (const auto& part : list->get_array()) {
    if (auto path = field_path_from_json(part); path && !path->empty()) key.push_back(*path);
  }
  return key;
}

}  // namespace

std::vector<std::string> catalog_consistency_problems(const json::object& catalog) {
  std::vector<std::string> problems;
  const auto* streams = catalog.if_contains("streams");
  if (!streams || !streams->is_array()) return problems;
  for (const auto& entry : streams->get_array()) {
    if (!entry.is_object()) continue;
    const auto& stream = entry.get_object();
    const std::string who = "stream " + std::string(stream.at("name").as_string());
    std::vector<SyncMode> modes;
    if (const auto* list = stream.if_contains("supported_sync_modes"); list && list->is_array()) {
      for (const auto& name : list->get_array()) {
        if (auto mode = name.is_string() ? parse_sync_mode(name.get_string()) : std::nullopt) modes.push_back(*mode);
      }
    }
    FieldPath cursor;
    if (const auto* value = stream.if_contains("default_cursor_field")) {
      cursor = field_path_from_json(*value).value_or(FieldPath{});
    }
    const auto key = key_of(stream);
    static const json::object kNoSchema;
    const auto* schema_value = stream.if_contains("json_schema");
    const json::object& schema = schema_value && schema_value->is_object() ? schema_value->get_object() : kNoSchema;

    if (modes.empty()) {
      problems.push_back(who + " offers no sync mode; fix: list the modes it supports in its sync_modes "
                               "(full_refresh_overwrite reads it whole)");
    }
    if (flag(stream, "source_defined_cursor") && cursor.empty()) {
      problems.push_back(who + " says source_defined_cursor but names no cursor; fix: set its default_cursor_field");
    }
    if (!cursor.empty() && !declares(schema, cursor)) {
      problems.push_back(who + ": its cursor " + join_path(cursor) + " is not a property of its json_schema; "
                               "fix: declare the field in json_schema or name one the records carry");
    }
    if (flag(stream, "source_defined_primary_key") && key.empty()) {
      problems.push_back(who + " says source_defined_primary_key but names no key; fix: set its primary_key");
    }
    for (const auto& part : key) {
      if (declares(schema, part)) continue;
      problems.push_back(who + ": its primary key field " + join_path(part) + " is not a property of its "
                               "json_schema; fix: declare the field in json_schema or name one the records carry");
    }
  }
  return problems;
}

}  // namespace sluice::host
