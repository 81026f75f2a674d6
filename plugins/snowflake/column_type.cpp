#include "column_type.hpp"

#include <sluice/sdk.hpp>

#include <algorithm>
#include <cctype>

namespace snowflake {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

int64_t integer_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value && value->is_int64()) return value->get_int64();
  if (value && value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  return 0;
}

}  // namespace

Kind kind_of_row_type(std::string_view type) {
  const std::string name = upper(type);
  if (name == "FIXED") return Kind::fixed;
  if (name == "REAL") return Kind::real;
  if (name == "TEXT") return Kind::text;
  if (name == "BOOLEAN") return Kind::boolean;
  if (name == "DATE") return Kind::date;
  if (name == "TIME") return Kind::time;
  if (name == "TIMESTAMP_NTZ") return Kind::timestamp_ntz;
  if (name == "TIMESTAMP_LTZ") return Kind::timestamp_ltz;
  if (name == "TIMESTAMP_TZ") return Kind::timestamp_tz;
  if (name == "VARIANT") return Kind::variant;
  if (name == "OBJECT") return Kind::object;
  if (name == "ARRAY") return Kind::array;
  if (name == "BINARY") return Kind::binary;
  if (name == "GEOGRAPHY") return Kind::geography;
  if (name == "GEOMETRY") return Kind::geometry;
  return Kind::unknown;
}

Kind kind_of_data_type(std::string_view data_type) {
  const std::string name = upper(data_type);
  if (name == "NUMBER") return Kind::fixed;
  if (name == "FLOAT") return Kind::real;
  return kind_of_row_type(name);
}

bool is_integer(const Column& column) {
  return column.kind == Kind::fixed && column.scale == 0 && column.precision <= 18;
}

std::vector<Column> parse_row_type(const json::value& row_type) {
  const auto* list = row_type.if_array();
  if (!list) throw sluice::Error(sluice::ErrorKind::source, "the result has no rowType array");
  std::vector<Column> columns;
  columns.reserve(list->size());
  for (const auto& entry : *list) {
    const auto* object = entry.if_object();
    const auto* name = object ? object->if_contains("name") : nullptr;
    const auto* type = object ? object->if_contains("type") : nullptr;
    if (!name || !name->is_string() || !type || !type->is_string()) {
      throw sluice::Error(sluice::ErrorKind::source, "a rowType entry has no name or type");
    }
    Column column;
    column.name = std::string(name->get_string());
    column.type_name = std::string(type->get_string());
    column.kind = kind_of_row_type(column.type_name);
    column.precision = integer_member(*object, "precision");
    column.scale = integer_member(*object, "scale");
    const auto* nullable = object->if_contains("nullable");
    column.nullable = !nullable || !nullable->is_bool() || nullable->get_bool();
    columns.push_back(std::move(column));
  }
  return columns;
}

json::object value_schema(const Column& column) {
  auto typed = [&](const char* type, const char* format = nullptr) {
    json::object schema;
    if (column.nullable) {
      schema["type"] = json::array{type, "null"};
    } else {
      schema["type"] = type;
    }
    if (format) schema["format"] = format;
    return schema;
  };
  switch (column.kind) {
    case Kind::fixed: return is_integer(column) ? typed("integer") : typed("string", "decimal");
    case Kind::real: return typed("number");
    case Kind::boolean: return typed("boolean");
    case Kind::date: return typed("string", "date");
    case Kind::time: return typed("string", "time");
    // Nanoseconds and the zone offset are kept in the text: the targets'
    // timestamp columns hold microseconds in UTC. TIMESTAMP_NTZ is a civil
    // date and time, never an instant.
    case Kind::timestamp_ntz:
    case Kind::timestamp_ltz:
    case Kind::timestamp_tz: return typed("string");
    case Kind::binary: {
      json::object schema = typed("string");
      schema["contentEncoding"] = "base64";
      return schema;
    }
    case Kind::object:
    case Kind::geography:
    case Kind::geometry: return typed("object");
    case Kind::array: return typed("array");
    case Kind::variant: return json::object{};  // any JSON value
    case Kind::text:
    case Kind::unknown: return typed("string");
  }
  return typed("string");
}

}  // namespace snowflake
