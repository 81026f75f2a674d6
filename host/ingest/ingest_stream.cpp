#include "host/ingest/ingest_stream.hpp"

#include "host/config/schema_check.hpp"
#include "host/target/identifiers.hpp"

namespace sluice::host {

namespace json = boost::json;

namespace {

constexpr size_t kMaxNameBytes = 128;
constexpr int64_t kMaxLateAfterSeconds = 10LL * 366 * 86400;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The text of body[key] when it is a non-empty string; records a problem
// when present but not one (or absent and `required`).
std::string string_field(const json::object& body, const char* key, bool required, std::vector<std::string>& errors) {
  const auto* value = body.if_contains(key);
  if (!value || value->is_null()) {
    if (required) errors.push_back(std::string(key) + ": required");
    return "";
  }
  if (!value->is_string() || value->get_string().empty()) {
    errors.push_back(std::string(key) + ": expected a non-empty string");
    return "";
  }
  return std::string(value->get_string());
}

// Checks that `field` names a property of `schema` whose column type is one
// of `allowed` (described as `expected`).
void check_field(const json::object& schema, const char* key, const std::string& field,
                 std::initializer_list<ColumnType> allowed, const char* expected, std::vector<std::string>& errors) {
  if (field.empty()) return;
  const auto* properties = schema.if_contains("properties");
  const auto* property = properties && properties->is_object() ? properties->get_object().if_contains(field) : nullptr;
  if (!property) {
    errors.push_back(std::string(key) + ": " + field + " is not a property of the schema");
    return;
  }
  const ColumnType type = column_type_for(*property);
  for (ColumnType ok : allowed) {
    if (type == ok) return;
  }
  errors.push_back(std::string(key) + ": " + field + " must be " + expected + " in the schema (it is " +
                   to_string(type) + ")");
}

}  // namespace

std::vector<std::string> parse_ingest_stream(const json::object& body, IngestStream& out) {
  std::vector<std::string> errors;
  static const char* const kKeys[] = {"name", "target", "schema", "id_field", "time_field", "customer_field",
                                      "late_after_seconds"};
  for (const auto& kv : body) {
    bool known = false;
    for (const char* key : kKeys) known = known || kv.key() == key;
    if (!known) errors.push_back(std::string(kv.key()) + ": unknown key");
  }
  IngestStream stream;
  stream.name = string_field(body, "name", true, errors);
  if (!stream.name.empty() && !valid_name(stream.name)) {
    errors.push_back("name: only letters, digits, '_', '-' and '.', at most 128 of them");
  }
  stream.target = string_field(body, "target", false, errors);
  if (!stream.target.empty()) {
    bool known = false;
    for (const char* scheme : {"sqlite://", "postgresql://", "postgres://", "mysql://", "mariadb://"}) {
      known = known || stream.target.rfind(scheme, 0) == 0;
    }
    if (!known) errors.push_back("target: expected sqlite://, postgresql:// or mysql:// (docs/targets.md)");
  }
  const auto* schema = body.if_contains("schema");
  if (!schema) {
    errors.push_back("schema: required");
  } else if (!schema->is_object()) {
    errors.push_back("schema: expected a JSON Schema object");
  } else {
    stream.schema = schema->get_object();
    if (auto problem = check_record_schema(*schema, "schema")) errors.push_back(*problem);
    const auto* type = stream.schema.if_contains("type");
    if (type && !(type->is_string() && type->get_string() == "object")) {
      errors.push_back("schema.type: an event is a JSON object: expected \"object\"");
    }
    const auto* properties = stream.schema.if_contains("properties");
    if (!properties || !properties->is_object() || properties->get_object().empty()) {
      errors.push_back("schema.properties: required: at least the id and time fields");
    }
  }
  stream.id_field = string_field(body, "id_field", true, errors);
  stream.time_field = string_field(body, "time_field", true, errors);
  stream.customer_field = string_field(body, "customer_field", false, errors);
  check_field(stream.schema, "id_field", stream.id_field, {ColumnType::text, ColumnType::integer},
              "a string or an integer", errors);
  check_field(stream.schema, "time_field", stream.time_field, {ColumnType::timestamp},
              "a string with format date-time", errors);
  check_field(stream.schema, "customer_field", stream.customer_field, {ColumnType::text, ColumnType::integer},
              "a string or an integer", errors);
  if (const auto* late = body.if_contains("late_after_seconds"); late && !late->is_null()) {
    if (!late->is_int64() || late->get_int64() < 0 || late->get_int64() > kMaxLateAfterSeconds) {
      errors.push_back("late_after_seconds: expected an integer from 0 (none is late) to 316224000");
    } else {
      stream.late_after_seconds = late->get_int64();
    }
  }
  if (errors.empty()) out = std::move(stream);
  return errors;
}

json::object ingest_stream_json(const IngestStream& stream) {
  json::object out{{"name", stream.name},
                   {"schema", stream.schema},
                   {"id_field", stream.id_field},
                   {"time_field", stream.time_field},
                   {"late_after_seconds", stream.late_after_seconds}};
  out["target"] = stream.target.empty() ? json::value(nullptr) : json::value(stream.target);
  out["customer_field"] = stream.customer_field.empty() ? json::value(nullptr) : json::value(stream.customer_field);
  return out;
}

IngestTable ingest_table(const IngestStream& stream, size_t max_identifier_bytes) {
  IngestTable out;
  out.table.name = normalize_identifier(stream.name, max_identifier_bytes);
  std::vector<std::string> names;
  const auto& properties = stream.schema.at("properties").get_object();
  for (const auto& property : properties) names.emplace_back(property.key());
  std::vector<std::string> reserved;
  for (const auto& meta : metadata_columns()) reserved.push_back(meta.name);
  reserved.push_back(kLateColumn);
  const auto normalised = unique_identifiers(names, reserved, max_identifier_bytes);
  for (size_t i = 0; i < names.size(); ++i) {
    out.columns.push_back({names[i], normalised[i], column_type_for(properties.at(names[i]))});
    if (names[i] == stream.id_field) out.id_column = i;
    if (names[i] == stream.time_field) out.time_column = i;
    if (names[i] == stream.customer_field) out.customer_column = i;
  }
  out.data_width = names.size();
  for (auto& meta : metadata_columns()) out.columns.push_back(meta);
  out.columns.push_back({"", kLateColumn, ColumnType::boolean});
  return out;
}

}  // namespace sluice::host
