#include "query.hpp"

#include "record_text.hpp"
#include "session.hpp"

#include "sql_common/query_result.hpp"

#include <sluice/support/timestamp.hpp>

#include <charconv>

namespace mysql_source {

namespace {

// DATA_TYPE (information_schema's word) of a result field.
std::string data_type_of(const MYSQL_FIELD& field, std::string_view format) {
  const bool binary = field.charsetnr == 63;
  if (format == "json") return "json";
  switch (field.type) {
    case MYSQL_TYPE_TINY: return "tinyint";
    case MYSQL_TYPE_SHORT: return "smallint";
    case MYSQL_TYPE_INT24: return "mediumint";
    case MYSQL_TYPE_LONG: return "int";
    case MYSQL_TYPE_LONGLONG: return "bigint";
    case MYSQL_TYPE_YEAR: return "year";
    case MYSQL_TYPE_FLOAT: return "float";
    case MYSQL_TYPE_DOUBLE: return "double";
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return "decimal";
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return "date";
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2: return "time";
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2: return "datetime";
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2: return "timestamp";
    case MYSQL_TYPE_BIT: return "bit";
    case MYSQL_TYPE_JSON: return "json";
    case MYSQL_TYPE_GEOMETRY: return "geometry";
    case MYSQL_TYPE_ENUM: return "enum";
    case MYSQL_TYPE_SET: return "set";
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB: return binary ? "blob" : "text";
    case MYSQL_TYPE_STRING:
      if (field.flags & ENUM_FLAG) return "enum";
      if (field.flags & SET_FLAG) return "set";
      return binary ? "binary" : "char";
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR: return binary ? "varbinary" : "varchar";
    case MYSQL_TYPE_NULL: return "null";
    default: return binary ? "blob" : "text";
  }
}

// MariaDB's extended metadata format of a field ("json"), else "".
std::string_view format_of(const MYSQL_FIELD& field) {
  MARIADB_CONST_STRING attr{};
  if (mariadb_field_attr(&attr, &field, MARIADB_FIELD_ATTR_FORMAT_NAME) != 0 || !attr.str) return {};
  return std::string_view(attr.str, attr.length);
}

void set_time(MYSQL_TIME& time, std::string_view text, enum_mysql_timestamp_type type) {
  // text: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.ffffff (checked by its parser)
  auto number = [&](size_t at, size_t count) {
    unsigned value = 0;
    std::from_chars(text.data() + at, text.data() + at + count, value);
    return value;
  };
  time = {};
  time.year = number(0, 4);
  time.month = number(5, 2);
  time.day = number(8, 2);
  time.time_type = type;
  if (type == MYSQL_TIMESTAMP_DATETIME) {
    time.hour = number(11, 2);
    time.minute = number(14, 2);
    time.second = number(17, 2);
    time.second_part = number(20, 6);
  }
}

}  // namespace

std::vector<std::string> query_setup_sql(Flavor flavor, int64_t timeout_seconds) {
  // @@sql_mode lists the modes a combination mode set, and the combination
  // too: each removed by name from ",A,B,".
  std::string mode = "CONCAT(',', @@SESSION.sql_mode, ',')";
  for (const char* name : {"NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI", "DB2", "MAXDB", "MSSQL", "ORACLE", "POSTGRESQL"}) {
    mode = "REPLACE(" + mode + ", '," + name + ",', ',')";
  }
  const std::string timeout = flavor == Flavor::mariadb
                                  ? "SET SESSION max_statement_time = " + std::to_string(timeout_seconds)
                                  : "SET SESSION max_execution_time = " + std::to_string(timeout_seconds * 1000);
  return {"SET SESSION sql_mode = TRIM(BOTH ',' FROM " + mode + ")", timeout, "START TRANSACTION READ ONLY"};
}

Column result_column(const MYSQL_FIELD& field, std::string_view format) {
  Column column;
  column.name = std::string(field.name, field.name_length);
  column.data_type = data_type_of(field, format);
  const bool is_unsigned = (field.flags & UNSIGNED_FLAG) != 0 && field.type != MYSQL_TYPE_BIT && column.data_type != "json";
  column.type = column.data_type + (is_unsigned ? " unsigned" : "");
  column.kind = column_kind(column.data_type, is_unsigned, false);
  column.not_null = (field.flags & NOT_NULL_FLAG) != 0;
  return column;
}

std::string bit_value_text(std::string_view bytes) {
  uint64_t value = 0;
  for (unsigned char byte : bytes) value = (value << 8) | byte;
  return std::to_string(value);
}

BoundParameters::BoundParameters(const std::vector<sluice::QueryParameter>& parameters)
    : slots_(parameters.size()), binds_(parameters.size()) {
  for (size_t i = 0; i < parameters.size(); ++i) {
    const sluice::QueryParameter& parameter = parameters[i];
    Slot& slot = slots_[i];
    MYSQL_BIND& bind = binds_[i];
    bind = {};
    bind.is_null = &slot.null;
    const std::string& type = parameter.type;
    if (type == "integer") {
      const auto value = sql_common::integer_parameter(parameter);
      slot.integer = value.value_or(0);
      slot.null = !value;
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &slot.integer;
    } else if (type == "number") {
      const auto value = sql_common::number_parameter(parameter);
      slot.number = value.value_or(0);
      slot.null = !value;
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &slot.number;
    } else if (type == "boolean") {
      const auto value = sql_common::boolean_parameter(parameter);
      slot.boolean = value.value_or(false) ? 1 : 0;
      slot.null = !value;
      bind.buffer_type = MYSQL_TYPE_TINY;
      bind.buffer = &slot.boolean;
    } else if (type == "string") {
      const auto value = sql_common::text_parameter(parameter);
      slot.text = value.value_or("");
      slot.null = !value;
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = slot.text.data();
      bind.buffer_length = slot.text.size();
    } else if (type == "date" || type == "timestamp") {
      const auto value = sql_common::text_parameter(parameter);
      slot.null = !value;
      if (value && type == "date") {
        set_time(slot.time, *value, MYSQL_TIMESTAMP_DATE);
      } else if (value) {
        // The instant in UTC, the session's time_zone (TIMESTAMP columns
        // compare in it; DATETIME columns hold what the source wrote).
        set_time(slot.time, sluice::support::format_rfc3339(*sluice::support::parse_rfc3339(*value)),
                 MYSQL_TIMESTAMP_DATETIME);
      }
      bind.buffer_type = type == "date" ? MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
      bind.buffer = &slot.time;
    } else {
      sql_common::unknown_parameter_type(parameter);
    }
  }
}

void run_query(const Settings& settings, const sluice::Logger& log, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx) {
  Session session(settings, log);
  for (const auto& sql : query_setup_sql(session.flavor(), request.timeout_seconds)) {
    session.exec(sql, "setting up the query's session");
  }
  BoundParameters parameters(request.parameters);
  std::vector<Column> columns;
  std::string row_text, bits;
  session.stream_statement(
      request.sql, parameters.binds(), "running the query",
      [&](const MYSQL_FIELD* fields, unsigned count) {
        for (unsigned i = 0; i < count; ++i) columns.push_back(result_column(fields[i], format_of(fields[i])));
        ctx.columns(sql_common::query_columns(columns, column_schema));
      },
      [&](const Row& row) {
        row_text.clear();
        sql_common::append_row_array(row_text, row, [&](std::string& out, size_t i, std::string_view text) {
          if (columns[i].kind == Kind::bits) {
            bits = bit_value_text(text);
            text = bits;
          }
          RecordText::append_value(out, columns[i], text);
        });
        ctx.row_serialized(row_text);
      });
  ctx.facts["server"] = std::string(session.flavor() == Flavor::mariadb ? "MariaDB " : "MySQL ") + session.server_version();
}

}  // namespace mysql_source
