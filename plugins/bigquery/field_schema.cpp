#include "field_schema.hpp"
#include "json_members.hpp"

#include <sluice/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

namespace bigquery {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

Field parse_field(const json::object& object) {
  Field field;
  field.name = string_member(object, "name");
  if (field.name.empty()) {
    throw sluice::Error(sluice::ErrorKind::source, "a table schema field has no name");
  }
  field.type_name = upper(string_member(object, "type"));
  field.type = parse_field_type(field.type_name);
  const std::string mode = upper(string_member(object, "mode"));
  field.repeated = mode == "REPEATED";
  field.required = mode == "REQUIRED";
  if (const auto* nested = object.if_contains("fields")) {
    field.fields = parse_table_schema(json::object{{"fields", *nested}});
  }
  return field;
}

// The JSON Schema of one value of the field, ignoring its mode.
json::object value_schema(const Field& field) {
  auto typed = [](const char* type, const char* format = nullptr) {
    json::object schema{{"type", type}};
    if (format) schema["format"] = format;
    return schema;
  };
  switch (field.type) {
    case FieldType::int64: return typed("integer");
    case FieldType::float64: return typed("number");
    case FieldType::boolean: return typed("boolean");
    // Exact decimals travel as strings: a JSON number would go through a double.
    case FieldType::numeric:
    case FieldType::bignumeric: return typed("string", "decimal");
    case FieldType::bytes: {
      json::object schema = typed("string");
      schema["contentEncoding"] = "base64";
      return schema;
    }
    case FieldType::timestamp: return typed("string", "date-time");
    case FieldType::date: return typed("string", "date");
    case FieldType::time: return typed("string", "time");
    // A civil date and time with no zone: not an instant, so not "date-time".
    case FieldType::datetime: return typed("string");
    case FieldType::record: return record_json_schema(field.fields);
    case FieldType::json: return json::object{};  // any JSON value
    case FieldType::string:
    case FieldType::geography:
    case FieldType::interval:
    case FieldType::range:
    case FieldType::unknown: return typed("string");
  }
  return typed("string");
}

json::object property_schema(const Field& field) {
  json::object schema;
  if (field.repeated) {
    schema["type"] = "array";
    schema["items"] = value_schema(field);
  } else {
    schema = value_schema(field);
    auto* type = schema.if_contains("type");
    if (!field.required && type && type->is_string()) {
      json::array nullable{type->get_string(), "null"};
      *type = std::move(nullable);
    }
  }
  schema["x-bigquery-type"] = field.type == FieldType::unknown ? field.type_name : standard_type_name(field.type);
  if (field.repeated) schema["x-bigquery-mode"] = "REPEATED";
  return schema;
}

}  // namespace

FieldType parse_field_type(std::string_view name) {
  const std::string type = upper(name);
  if (type == "STRING") return FieldType::string;
  if (type == "BYTES") return FieldType::bytes;
  if (type == "INTEGER" || type == "INT64") return FieldType::int64;
  if (type == "FLOAT" || type == "FLOAT64") return FieldType::float64;
  if (type == "NUMERIC" || type == "DECIMAL") return FieldType::numeric;
  if (type == "BIGNUMERIC" || type == "BIGDECIMAL") return FieldType::bignumeric;
  if (type == "BOOLEAN" || type == "BOOL") return FieldType::boolean;
  if (type == "TIMESTAMP") return FieldType::timestamp;
  if (type == "DATE") return FieldType::date;
  if (type == "TIME") return FieldType::time;
  if (type == "DATETIME") return FieldType::datetime;
  if (type == "JSON") return FieldType::json;
  if (type == "GEOGRAPHY") return FieldType::geography;
  if (type == "RECORD" || type == "STRUCT") return FieldType::record;
  if (type == "INTERVAL") return FieldType::interval;
  if (type == "RANGE") return FieldType::range;
  return FieldType::unknown;
}

const char* standard_type_name(FieldType type) {
  switch (type) {
    case FieldType::string: return "STRING";
    case FieldType::bytes: return "BYTES";
    case FieldType::int64: return "INT64";
    case FieldType::float64: return "FLOAT64";
    case FieldType::numeric: return "NUMERIC";
    case FieldType::bignumeric: return "BIGNUMERIC";
    case FieldType::boolean: return "BOOL";
    case FieldType::timestamp: return "TIMESTAMP";
    case FieldType::date: return "DATE";
    case FieldType::time: return "TIME";
    case FieldType::datetime: return "DATETIME";
    case FieldType::json: return "JSON";
    case FieldType::geography: return "GEOGRAPHY";
    case FieldType::record: return "STRUCT";
    case FieldType::interval: return "INTERVAL";
    case FieldType::range: return "RANGE";
    case FieldType::unknown: break;
  }
  return "UNKNOWN";
}

std::vector<Field> parse_table_schema(const json::value& schema) {
  std::vector<Field> fields;
  const auto* object = schema.if_object();
  const auto* list = object ? object->if_contains("fields") : nullptr;
  if (!list || !list->is_array()) return fields;
  for (const auto& entry : list->get_array()) {
    if (const auto* field = entry.if_object()) fields.push_back(parse_field(*field));
  }
  return fields;
}

json::object record_json_schema(const std::vector<Field>& fields) {
  json::object properties;
  json::array required;
  for (const auto& field : fields) {
    properties[field.name] = property_schema(field);
    if (field.required || field.repeated) required.emplace_back(field.name);
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

const Field* find_field(const std::vector<Field>& fields, std::string_view name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace bigquery
