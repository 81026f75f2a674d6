#include "cursor.hpp"

#include "identifiers.hpp"
#include "row_decoder.hpp"

#include "sql_common/keyset_read.hpp"

#include <algorithm>
#include <cctype>

namespace snowflake {

namespace {

bool orderable(Kind kind) {
  switch (kind) {
    case Kind::fixed:
    case Kind::real:
    case Kind::text:
    case Kind::boolean:
    case Kind::date:
    case Kind::time:
    case Kind::timestamp_ntz:
    case Kind::timestamp_ltz:
    case Kind::timestamp_tz: return true;
    default: return false;
  }
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string saved_text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

// The timestamp formats of the values this connector emits (row_decoder.hpp).
constexpr const char* kDateTimeFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.FF9'";
constexpr const char* kDateTimeZoneFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM'";

}  // namespace

std::pair<std::string, Binding> bound_value(const std::string& type, const std::string& value) {
  switch (kind_of_row_type(type)) {
    case Kind::fixed: return {"?", {"FIXED", value}};
    case Kind::real: return {"?", {"REAL", value}};
    case Kind::boolean: return {"?", {"BOOLEAN", value}};
    case Kind::date: return {"TO_DATE(?, 'YYYY-MM-DD')", {"TEXT", value}};
    case Kind::time: return {"TO_TIME(?, 'HH24:MI:SS.FF9')", {"TEXT", value}};
    case Kind::timestamp_ntz: return {std::string("TO_TIMESTAMP_NTZ(?, ") + kDateTimeFormat + ")", {"TEXT", value}};
    case Kind::timestamp_ltz: {
      std::string text = value;
      if (!text.empty() && text.back() == 'Z') text.replace(text.size() - 1, 1, "+00:00");
      return {std::string("TO_TIMESTAMP_LTZ(?, ") + kDateTimeZoneFormat + ")", {"TEXT", text}};
    }
    case Kind::timestamp_tz: return {std::string("TO_TIMESTAMP_TZ(?, ") + kDateTimeZoneFormat + ")", {"TEXT", value}};
    default: return {"?", {"TEXT", value}};
  }
}

IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream) {
  IncrementalRead read;
  read.keyset = sluice::support::plan_keyset_read(stream);
  read.saved_types.assign(read.keyset.order_by.size(), "");
  const auto* state = stream.state.if_object();
  const auto* types = state ? state->if_contains("types") : nullptr;
  if (types && types->is_array() && types->get_array().size() == read.saved_types.size()) {
    for (size_t i = 0; i < read.saved_types.size(); ++i) read.saved_types[i] = saved_text(types->get_array()[i]);
  } else if (const auto* type = state ? state->if_contains("cursor_type") : nullptr; type && type->is_string()) {
    read.saved_types[0] = std::string(type->get_string());
  }
  const auto& order_by = read.keyset.order_by;
  read.condition = sluice::support::keyset_condition(
      read.keyset, [](const std::string& column) { return quote_identifier(column, "column"); },
      [&](const std::string& name) {
        const auto param = std::find_if(read.keyset.params.begin(), read.keyset.params.end(),
                                        [&](const auto& p) { return p.name == name; });
        const size_t column =
            static_cast<size_t>(std::find(order_by.begin(), order_by.end(), param->column) - order_by.begin());
        const std::string& type = read.saved_types[column];
        if (!type.empty() && !orderable(kind_of_row_type(type))) {
          throw sluice::Error(sluice::ErrorKind::config, "the saved state's " + param->column + " is of type " + type +
                                                             ", which cannot order rows");
        }
        auto [sql, binding] = bound_value(type, saved_text(param->value));
        read.bindings.push_back(std::move(binding));
        return sql;
      });
  return read;
}

std::vector<size_t> locate_order_columns(const IncrementalRead& read, const std::vector<Column>& columns,
                                         const sluice::ConfiguredStream& stream) {
  sql_common::ResultColumns result;
  for (const auto& column : columns) result.names.push_back(column.name);
  result.unorderable = [&](size_t i) -> std::optional<std::string> {
    if (orderable(columns[i].kind)) return std::nullopt;
    return columns[i].type_name;
  };
  result.saved_type = [&](size_t i) { return upper(columns[i].type_name); };
  result.orderable = "a timestamp, date, number or text column";
  return sql_common::locate_order_columns(read.keyset, read.saved_types, result, stream);
}

std::optional<json::object> checkpoint_after(const IncrementalRead& read, const std::vector<Column>& columns,
                                             const std::vector<size_t>& positions, const sql_common::SentRow& row) {
  std::vector<std::optional<std::string>> values;
  std::vector<std::string> types;
  for (size_t position : positions) {
    values.push_back(position < row.size() ? cell_text(row[position], columns[position]) : std::nullopt);
    types.push_back(upper(columns[position].type_name));
  }
  return sql_common::typed_checkpoint(read.keyset, values, std::move(types));
}

}  // namespace snowflake
