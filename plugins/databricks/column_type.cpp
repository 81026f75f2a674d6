#include "column_type.hpp"

#include <sluice/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace databricks {

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

std::string string_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The type's name before any '(' or '<' or space: "DECIMAL" of "decimal(10,2)".
std::string base_name(std::string_view text) {
  const auto end = text.find_first_of("(< ");
  return upper(text.substr(0, end));
}

Kind kind_of_name(const std::string& name) {
  if (name == "TINYINT" || name == "BYTE" || name == "SMALLINT" || name == "SHORT" || name == "INT" ||
      name == "INTEGER" || name == "BIGINT" || name == "LONG") {
    return Kind::integer;
  }
  if (name == "DECIMAL" || name == "DEC" || name == "NUMERIC") return Kind::decimal;
  if (name == "FLOAT" || name == "REAL" || name == "DOUBLE") return Kind::floating;
  if (name == "STRING" || name == "CHAR" || name == "VARCHAR") return Kind::string;
  if (name == "BOOLEAN") return Kind::boolean;
  if (name == "DATE") return Kind::date;
  if (name == "TIMESTAMP" || name == "TIMESTAMP_LTZ") return Kind::timestamp;
  if (name == "TIMESTAMP_NTZ") return Kind::timestamp_ntz;
  if (name == "BINARY") return Kind::binary;
  if (name == "ARRAY" || name == "MAP" || name == "STRUCT" || name == "VARIANT" || name == "OBJECT") return Kind::json;
  if (name == "INTERVAL") return Kind::interval;
  if (name == "NULL" || name == "VOID") return Kind::null;
  return Kind::unknown;
}

}  // namespace

Kind kind_of(std::string_view type_name, std::string_view type_text) {
  const Kind from_text = kind_of_name(base_name(type_text));
  return from_text != Kind::unknown ? from_text : kind_of_name(base_name(type_name));
}

bool orderable(Kind kind) {
  switch (kind) {
    case Kind::integer:
    case Kind::decimal:
    case Kind::floating:
    case Kind::string:
    case Kind::boolean:
    case Kind::date:
    case Kind::timestamp:
    case Kind::timestamp_ntz: return true;
    default: return false;
  }
}

std::vector<Column> parse_columns(const json::value& columns) {
  const auto* list = columns.if_array();
  if (!list) throw sluice::Error(sluice::ErrorKind::source, "the result's schema has no columns array");
  std::vector<std::pair<int64_t, Column>> positioned;
  for (const auto& entry : *list) {
    const auto* object = entry.if_object();
    const auto* name = object ? object->if_contains("name") : nullptr;
    if (!name || !name->is_string() || (!object->contains("type_name") && !object->contains("type_text"))) {
      throw sluice::Error(sluice::ErrorKind::source, "a column of the result's schema has no name or type");
    }
    Column column;
    column.name = std::string(name->get_string());
    const std::string type_name = string_member(*object, "type_name");
    column.type_text = string_member(*object, "type_text");
    if (column.type_text.empty()) column.type_text = type_name;
    column.kind = kind_of(type_name, column.type_text);
    column.precision = integer_member(*object, "type_precision");
    column.scale = integer_member(*object, "type_scale");
    if (column.kind == Kind::decimal && column.precision == 0) {
      // Only type_text sent: "decimal(12,2)".
      long long p = 0, s = 0;
      if (std::sscanf(column.type_text.c_str(), "%*[^(](%lld,%lld)", &p, &s) == 2) column.precision = p, column.scale = s;
    }
    const auto* nullable = object->if_contains("nullable");
    column.nullable = !nullable || !nullable->is_bool() || nullable->get_bool();
    const int64_t position = object->contains("position") ? integer_member(*object, "position")
                                                          : static_cast<int64_t>(positioned.size());
    positioned.emplace_back(position, std::move(column));
  }
  std::stable_sort(positioned.begin(), positioned.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Column> out;
  out.reserve(positioned.size());
  for (auto& [position, column] : positioned) out.push_back(std::move(column));
  return out;
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
    case Kind::integer: return typed("integer");
    case Kind::decimal: return typed("string", "decimal");
    case Kind::floating: return typed("number");
    case Kind::boolean: return typed("boolean");
    case Kind::date: return typed("string", "date");
    // An instant in UTC with microseconds: the targets' timestamp columns.
    case Kind::timestamp: return typed("string", "date-time");
    // A civil date and time: text, so no target reads it as an instant.
    case Kind::timestamp_ntz: return typed("string");
    case Kind::binary: {
      json::object schema = typed("string");
      schema["contentEncoding"] = "base64";
      return schema;
    }
    case Kind::json: {
      const std::string name = base_name(column.type_text);
      if (name == "ARRAY") return typed("array");
      if (name == "MAP" || name == "STRUCT") return typed("object");
      return json::object{};  // VARIANT: any JSON value
    }
    case Kind::null: return json::object{{"type", "null"}};
    case Kind::string:
    case Kind::interval:
    case Kind::unknown: return typed("string");
  }
  return typed("string");
}

std::string parameter_type(const Column& column) {
  switch (column.kind) {
    case Kind::integer: return "BIGINT";
    case Kind::decimal:
      return "DECIMAL(" + std::to_string(column.precision > 0 ? column.precision : 38) + "," +
             std::to_string(column.scale) + ")";
    case Kind::floating: return "DOUBLE";
    case Kind::boolean: return "BOOLEAN";
    case Kind::date: return "DATE";
    case Kind::timestamp: return "TIMESTAMP";
    case Kind::timestamp_ntz: return "TIMESTAMP_NTZ";
    default: return "STRING";
  }
}

}  // namespace databricks
