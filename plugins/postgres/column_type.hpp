// A table column as discovery reads it from pg_catalog, how its values
// travel (kind) and its JSON Schema. Types are decided on the base type:
// a domain is its base type, an enum is text. Exact on purpose: numeric and
// money are decimal strings (never a double), int8 is an integer,
// timestamptz an RFC 3339 instant with microseconds, timestamp a naive
// date-time string, json/jsonb and arrays JSON values, bytea base64.
// https://www.postgresql.org/docs/current/datatype.html
#pragma once

#include <boost/json.hpp>

#include <string>

namespace postgres {

namespace json = boost::json;

enum class Kind {
  integer,      // int2, int4, int8, oid: JSON integer
  number,       // float4, float8: JSON number (NaN, Infinity as strings)
  boolean,      // JSON true / false
  decimal,      // numeric, money (read as numeric): the digits as a string
  text,         // everything else: its text form as a string
  uuid,         // string, format uuid
  date,         // string, format date
  time,         // time, timetz: string, format time
  timestamptz,  // string, format date-time, in UTC ("...Z")
  timestamp,    // naive "YYYY-MM-DDTHH:MM:SS.ffffff" string
  interval,     // ISO 8601 duration string (IntervalStyle iso_8601)
  json,         // json, jsonb: the document
  array,        // any array, read through to_json(): a JSON array
  bytea,        // base64 string
};

struct Column {
  std::string name;
  std::string type;  // format_type(): "numeric(20,4)", "timestamp with time zone", "text[]"
  std::string base;  // pg_type.typname of the base type: "numeric", "timestamptz", "_int4"
  Kind kind = Kind::text;
  bool not_null = false;
  // SQL selecting the value instead of the quoted name: only the xmin
  // pseudo-column (table_reader.hpp), filled in once its snapshot is known.
  std::string expression = {};
};

// The kind of a base type: its typname, typtype ('e' enum) and typcategory
// ('A' array).
Kind kind_of(const std::string& base, char typtype, char typcategory);

// The property schema: type (nullable unless NOT NULL), format, and
// "x-postgres-type" with the declared type.
json::object column_schema(const Column& column);

// Whether rows can be ordered by the column for an incremental read.
bool orderable(Kind kind);

}  // namespace postgres
