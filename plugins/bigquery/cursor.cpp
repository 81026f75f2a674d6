#include "cursor.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

namespace {

const char* kResetHint = "; reset it with `sluice state reset CONNECTION --stream ";

}  // namespace

std::string cursor_parameter_type(const Field& field, const std::string& stream) {
  auto refuse = [&](const std::string& why) -> std::string {
    throw sluice::Error(sluice::ErrorKind::config,
                        "stream " + stream + ": cursor_field " + field.name + " " + why);
  };
  if (field.repeated) return refuse("is REPEATED; a cursor must be a single orderable value");
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

json::object cursor_state(const std::string& field, const CursorBound& bound) {
  return {{"cursor_field", field}, {"cursor_type", bound.type}, {"cursor", bound.value}};
}

std::optional<CursorBound> cursor_from_state(const json::value& state, const std::string& field,
                                             const std::string& type, const std::string& stream) {
  if (state.is_null()) return std::nullopt;
  const auto* object = state.if_object();
  if (object && object->empty()) return std::nullopt;
  auto text = [&](const char* key) -> std::string {
    const auto* value = object ? object->if_contains(key) : nullptr;
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  const std::string saved_field = text("cursor_field"), saved_type = text("cursor_type");
  if (!object || !object->contains("cursor") || !object->at("cursor").is_string()) {
    throw sluice::Error(sluice::ErrorKind::config, "stream " + stream +
                                                       ": the saved state is not a cursor checkpoint" +
                                                       kResetHint + stream + "`");
  }
  if (saved_field != field || saved_type != type) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "stream " + stream + ": the saved state is for cursor " + saved_field + " (" +
                            saved_type + "), the connection now uses " + field + " (" + type + ")" + kResetHint +
                            stream + "`");
  }
  return CursorBound{type, text("cursor")};
}

}  // namespace bigquery
