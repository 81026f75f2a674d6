#include "column_type.hpp"

#include "sql_common/sql_text.hpp"

#include <set>

namespace mysql_source {

Kind kind_of(const std::string& data_type, bool json_checked) {
  static const std::set<std::string> integers{"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year"};
  static const std::set<std::string> binaries{"binary",   "varbinary", "tinyblob",   "blob",       "mediumblob",
                                              "longblob", "geometry",  "point",      "linestring", "polygon",
                                              "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
  if (integers.count(data_type)) return Kind::integer;
  if (data_type == "float" || data_type == "double" || data_type == "real") return Kind::number;
  if (data_type == "decimal" || data_type == "numeric") return Kind::decimal;
  if (data_type == "date") return Kind::date;
  if (data_type == "time") return Kind::time;
  if (data_type == "datetime") return Kind::datetime;
  if (data_type == "timestamp") return Kind::timestamp;
  if (data_type == "json" || (data_type == "longtext" && json_checked)) return Kind::json;
  if (data_type == "bit") return Kind::bits;
  if (binaries.count(data_type)) return Kind::binary;
  return Kind::text;
}

Kind column_kind(const std::string& data_type, bool is_unsigned, bool json_checked) {
  if (data_type == "bigint" && is_unsigned) return Kind::decimal;
  return kind_of(data_type, json_checked);
}

json::object column_schema(const Column& column) {
  json::object schema;
  auto typed = [&](const char* type, const char* format = nullptr) {
    schema = sql_common::typed_schema(type, column.not_null, format);
  };
  switch (column.kind) {
    case Kind::integer:
    case Kind::bits: typed("integer"); break;
    case Kind::number: typed("number"); break;
    case Kind::decimal: typed("string", "decimal"); break;
    case Kind::date: typed("string", "date"); break;
    case Kind::time: typed("string", "time"); break;
    case Kind::timestamp: typed("string", "date-time"); break;
    case Kind::binary:
      typed("string");
      schema["contentEncoding"] = "base64";
      break;
    case Kind::json: break;  // any JSON value
    case Kind::datetime:     // a civil date and time with no zone: not an instant
    case Kind::text: typed("string"); break;
  }
  schema["x-mysql-type"] = column.type;
  return schema;
}

bool orderable(Kind kind) { return kind != Kind::json && kind != Kind::binary; }

bool is_binary(Kind kind) { return kind == Kind::binary || kind == Kind::bits; }

}  // namespace mysql_source
