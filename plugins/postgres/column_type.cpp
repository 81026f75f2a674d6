#include "column_type.hpp"

#include "sql_common/sql_text.hpp"

namespace postgres {

Kind kind_of(const std::string& base, char typtype, char typcategory) {
  if (typcategory == 'A') return Kind::array;
  if (typtype == 'e') return Kind::text;
  if (base == "int2" || base == "int4" || base == "int8" || base == "oid") return Kind::integer;
  if (base == "float4" || base == "float8") return Kind::number;
  if (base == "bool") return Kind::boolean;
  if (base == "numeric" || base == "money") return Kind::decimal;
  if (base == "uuid") return Kind::uuid;
  if (base == "date") return Kind::date;
  if (base == "time" || base == "timetz") return Kind::time;
  if (base == "timestamptz") return Kind::timestamptz;
  if (base == "timestamp") return Kind::timestamp;
  if (base == "interval") return Kind::interval;
  if (base == "json" || base == "jsonb") return Kind::json;
  if (base == "bytea") return Kind::bytea;
  return Kind::text;
}

json::object column_schema(const Column& column) {
  json::object schema;
  auto typed = [&](const char* type, const char* format = nullptr) {
    schema = sql_common::typed_schema(type, column.not_null, format);
  };
  switch (column.kind) {
    case Kind::integer: typed("integer"); break;
    case Kind::number: typed("number"); break;
    case Kind::boolean: typed("boolean"); break;
    case Kind::decimal: typed("string", "decimal"); break;
    case Kind::uuid: typed("string", "uuid"); break;
    case Kind::date: typed("string", "date"); break;
    case Kind::time: typed("string", "time"); break;
    case Kind::timestamptz: typed("string", "date-time"); break;
    case Kind::interval: typed("string", "duration"); break;
    case Kind::array: typed("array"); break;
    case Kind::bytea:
      typed("string");
      schema["contentEncoding"] = "base64";
      break;
    case Kind::json: break;  // any JSON value
    case Kind::timestamp:    // a civil date and time with no zone: not an instant
    case Kind::text: typed("string"); break;
  }
  schema["x-postgres-type"] = column.type;
  return schema;
}

bool orderable(Kind kind) {
  switch (kind) {
    case Kind::json:
    case Kind::array:
    case Kind::bytea:
    case Kind::boolean: return false;
    default: return true;
  }
}

}  // namespace postgres
