#include "host/target/column.hpp"

namespace sluice::host {

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::text: return "text";
    case ColumnType::integer: return "integer";
    case ColumnType::number: return "number";
    case ColumnType::boolean: return "boolean";
    case ColumnType::timestamp: return "timestamp";
    case ColumnType::date: return "date";
    case ColumnType::json: return "json";
  }
  return "text";
}

namespace {

ColumnType for_type_name(std::string_view type, const boost::json::object& schema) {
  if (type == "integer") return ColumnType::integer;
  if (type == "number") return ColumnType::number;
  if (type == "boolean") return ColumnType::boolean;
  if (type == "string") {
    const auto* format = schema.if_contains("format");
    if (format && format->is_string()) {
      if (format->get_string() == "date-time") return ColumnType::timestamp;
      if (format->get_string() == "date") return ColumnType::date;
    }
    return ColumnType::text;
  }
  return ColumnType::json;  // object, array, or anything unknown
}

}  // namespace

ColumnType column_type_for(const boost::json::value& property_schema) {
  const auto* schema = property_schema.if_object();
  if (!schema) return ColumnType::json;
  const auto* type = schema->if_contains("type");
  if (!type) return ColumnType::json;
  if (type->is_string()) return for_type_name(type->get_string(), *schema);
  if (const auto* list = type->if_array()) {
    std::string_view only;
    int non_null = 0;
    for (const auto& entry : *list) {
      if (entry.is_string() && entry.get_string() != "null") {
        only = entry.get_string();
        ++non_null;
      }
    }
    if (non_null == 1) return for_type_name(only, *schema);
  }
  return ColumnType::json;
}

std::vector<ColumnDef> metadata_columns() {
  return {{"", kExtractedAtColumn, ColumnType::timestamp},
          {"", kSyncIdColumn, ColumnType::text},
          {"", kExtraColumn, ColumnType::json},
          {"", kUncastColumn, ColumnType::json}};
}

}  // namespace sluice::host
