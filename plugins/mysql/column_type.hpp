// A table column as discovery reads it from information_schema, how its
// values travel (kind) and its JSON Schema. Exact on purpose: DECIMAL is a
// decimal string, BIGINT (signed or not) an integer, DATETIME a naive
// date-time string and TIMESTAMP an instant in UTC, both with their
// fractional digits, JSON the document, BIT its unsigned value, binary
// strings and BLOBs base64. Zero dates ('0000-00-00') name no day: they
// travel as their text and the read warns once per column.
// https://dev.mysql.com/doc/refman/8.0/en/data-types.html
// https://mariadb.com/kb/en/data-types/
#pragma once

#include <boost/json.hpp>

#include <string>

namespace mysql_source {

namespace json = boost::json;

enum class Kind {
  integer,    // TINYINT..BIGINT (UNSIGNED too), YEAR: JSON integer
  number,     // FLOAT, DOUBLE: JSON number
  decimal,    // DECIMAL: the digits as a string
  text,       // CHAR, VARCHAR, TEXT, ENUM, SET, anything else: string
  date,       // string, format date
  time,       // string, format time (may exceed 24 h: the server's text)
  datetime,   // naive "YYYY-MM-DDTHH:MM:SS.ffffff" string
  timestamp,  // string, format date-time, UTC ("...Z")
  json,       // JSON (MySQL), or MariaDB's LONGTEXT CHECK (json_valid(c)): the document
  bits,       // BIT(n): the unsigned value as an integer
  binary,     // BINARY, VARBINARY, BLOB kinds, GEOMETRY (WKB): base64 string
};

struct Column {
  std::string name;
  std::string type;       // COLUMN_TYPE: "bigint(20) unsigned", "datetime(6)", "enum('a','b')"
  std::string data_type;  // DATA_TYPE: "bigint", "datetime", "json"
  Kind kind = Kind::text;
  bool not_null = false;
};

// The kind of DATA_TYPE (lower case); `json_checked`: MariaDB's JSON alias
// (a LONGTEXT whose CHECK is json_valid()).
Kind kind_of(const std::string& data_type, bool json_checked);
// The kind of a column: kind_of, except a BIGINT UNSIGNED is a decimal
// (above 2^63 - 1 no JSON integer the host takes holds it: exact digits).
Kind column_kind(const std::string& data_type, bool is_unsigned, bool json_checked);

// The property schema: type (nullable unless NOT NULL), format, and
// "x-mysql-type" with COLUMN_TYPE.
json::object column_schema(const Column& column);

// Whether rows can be ordered by the column for an incremental read.
bool orderable(Kind kind);

// Whether the column is read as bytes (never cast to text).
bool is_binary(Kind kind);

}  // namespace mysql_source
