#include "cursor.hpp"

#include "cell_decoder.hpp"
#include "sql_identifiers.hpp"

#include <algorithm>

namespace bigquery {

namespace {

// A parameter value as a checkpoint saved it (this connector saves text).
std::string saved_text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

}  // namespace

std::string orderable_parameter_type(const Field& field, const std::string& role) {
  auto refuse = [&](const std::string& why) -> std::string {
    throw sluice::Error(sluice::ErrorKind::config, role + " " + field.name + " " + why);
  };
  if (field.repeated) return refuse("is REPEATED; it must be a single orderable value");
  switch (field.type) {
    case FieldType::int64:
    case FieldType::float64:
    case FieldType::numeric:
    case FieldType::bignumeric:
    case FieldType::string:
    case FieldType::bytes:
    case FieldType::timestamp:
    case FieldType::date:
    case FieldType::time:
    case FieldType::datetime: return standard_type_name(field.type);
    default: break;
  }
  return refuse("has type " + field.type_name + ", which cannot order rows (use a timestamp, date, number or string column)");
}

std::optional<std::string> cursor_parameter_value(const json::value& decoded, FieldType type) {
  if (decoded.is_null()) return std::nullopt;
  if (decoded.is_string()) {
    std::string text(decoded.get_string());
    // "2024-05-01T12:34:56.123456Z" -> "2024-05-01 12:34:56.123456+00:00", the
    // form python-bigquery sends for TIMESTAMP parameters.
    if (type == FieldType::timestamp && text.size() > 11 && text[10] == 'T' && text.back() == 'Z') {
      text[10] = ' ';
      text.pop_back();
      text += "+00:00";
    }
    return text;
  }
  if (decoded.is_bool()) return decoded.get_bool() ? "true" : "false";
  return json::serialize(decoded);  // integers exactly; doubles shortest round-trip
}

IncrementalRead plan_incremental_read(const sluice::ConfiguredStream& stream, const std::vector<Field>& table_fields) {
  IncrementalRead read;
  read.keyset = sluice::support::plan_keyset_read(stream);
  std::vector<std::string> types;
  for (size_t i = 0; i < read.keyset.order_by.size(); ++i) {
    const std::string& name = read.keyset.order_by[i];
    const std::string role = i == 0 ? "cursor_field" : "primary_key column";
    const Field* field = find_field(table_fields, name);
    if (!field) throw sluice::Error(sluice::ErrorKind::config, role + " " + name + " is not a column of the table");
    types.push_back(orderable_parameter_type(*field, role));
    read.columns.push_back(*field);
  }
  const auto& state = stream.state;
  const auto* saved_type = state.is_object() ? state.get_object().if_contains("cursor_type") : nullptr;
  if (saved_type && *saved_type != json::value(types[0])) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "the saved state is for a " + saved_text(*saved_type) + " cursor, column " +
                            read.columns[0].name + " is now " + types[0] +
                            "; reset it with `sluice state reset CONNECTION --stream " + stream.ns + "." + stream.name + "`");
  }
  const auto& order_by = read.keyset.order_by;
  for (const auto& param : read.keyset.params) {
    const auto column = std::find(order_by.begin(), order_by.end(), param.column) - order_by.begin();
    read.parameters.push_back({param.name, types[static_cast<size_t>(column)], saved_text(param.value)});
  }
  read.condition = sluice::support::keyset_condition(
      read.keyset, [](const std::string& column) { return quote_identifier(column, "column"); },
      [](const std::string& param) { return "@" + param; });
  return read;
}

std::optional<json::object> checkpoint_after(const IncrementalRead& read, const json::object& record) {
  std::vector<json::value> last;
  for (const Field& column : read.columns) {
    const auto* value = record.if_contains(column.name);
    auto text = value ? cursor_parameter_value(*value, column.type) : std::nullopt;
    last.push_back(text ? json::value(*text) : json::value(nullptr));
  }
  auto state = sluice::support::keyset_checkpoint(read.keyset, last);
  if (state) (*state)["cursor_type"] = standard_type_name(read.columns[0].type);
  return state;
}

std::optional<json::object> checkpoint_after(const IncrementalRead& read,
                                             const std::vector<std::optional<std::string>>& wire_values) {
  json::object record;
  for (size_t i = 0; i < read.columns.size() && i < wire_values.size(); ++i) {
    const auto& wire = wire_values[i];
    // Orderable columns are scalars: one cell, decoded once per page.
    record[read.columns[i].name] = wire ? decode_cell(json::value(*wire), read.columns[i]) : json::value(nullptr);
  }
  return checkpoint_after(read, record);
}

}  // namespace bigquery
