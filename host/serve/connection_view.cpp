#include "host/serve/connection_view.hpp"

#include "host/serve/schedule/schedule_spec.hpp"

#include "host/config/config_error.hpp"
#include "host/config/connection.hpp"
#include "host/config/schema_validator.hpp"
#include "host/config/secrets.hpp"
#include "host/target/target_url.hpp"

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::string masked_target(const std::string& target) {
  if (target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0 ||
      target.rfind("mysql://", 0) == 0) {
    try {
      return parse_target_url(target).masked();
    } catch (const std::exception&) {
      return std::string(kMask);
    }
  }
  return target;
}

// `incoming` with every "********" replaced by the value at the same place in
// `previous`: a client can send back what it read and keep the secrets.
json::value restore_masked(const json::value& incoming, const json::value* previous) {
  if (incoming.is_string() && previous && previous->is_string()) {
    // A whole masked secret, or a target URL whose password reads ********.
    const std::string text(incoming.as_string());
    if (text == kMask || (text.find(kMask) != std::string::npos &&
                          masked_target(std::string(previous->as_string())) == text)) {
      return *previous;
    }
  }
  if (incoming.is_string() && incoming.as_string() == kMask && previous) return *previous;
  if (incoming.is_object()) {
    json::object out;
    const json::object* old = previous && previous->is_object() ? &previous->as_object() : nullptr;
    for (const auto& kv : incoming.as_object()) {
      out[kv.key()] = restore_masked(kv.value(), old ? old->if_contains(kv.key()) : nullptr);
    }
    return out;
  }
  if (incoming.is_array() && previous && previous->is_array() &&
      previous->as_array().size() == incoming.as_array().size()) {
    json::array out;
    for (size_t i = 0; i < incoming.as_array().size(); ++i) {
      out.push_back(restore_masked(incoming.as_array()[i], &previous->as_array()[i]));
    }
    return out;
  }
  return incoming;
}

// The schedule as schedule_spec.hpp reads it (the one shape of the API and
// of docs/daemon.md), so a schedule stored here is one the scheduler runs.
void check_schedule(const json::object& schedule, std::vector<FieldError>& errors) {
  if (schedule.empty()) return;  // run only when triggered
  try {
    schedule_from_json(schedule, "schedule");
  } catch (const ScheduleError& e) {
    errors.push_back(field_error(e.what()));
  }
}

}  // namespace

ConnectionInput parse_connection_input(const json::object& body, PluginCatalog& plugins,
                                       const json::object* previous) {
  std::vector<FieldError> errors;
  ConnectionInput input;
  for (const auto& kv : body) {
    if (kv.key() != "name" && kv.key() != "connection" && kv.key() != "schedule") {
      errors.push_back({std::string(kv.key()), "unknown field (expected name, connection, schedule)"});
    }
  }
  const json::value* name = body.if_contains("name");
  if (!name || !name->is_string() || !valid_name(std::string(name->as_string()))) {
    errors.push_back({"name", "expected 1 to 128 letters, digits, '-', '_' or '.'"});
  } else {
    input.name = std::string(name->as_string());
  }
  if (const json::value* schedule = body.if_contains("schedule")) {
    if (!schedule->is_object()) errors.push_back({"schedule", "expected an object"});
    else input.schedule = schedule->as_object(), check_schedule(input.schedule, errors);
  }
  const json::value* connection = body.if_contains("connection");
  if (!connection || !connection->is_object()) {
    errors.push_back({"connection", "required: an object holding what a connection file holds"});
    throw ApiError(422, "invalid_connection", errors.front().path + ": " + errors.front().message, errors);
  }
  json::value prior = previous ? json::value(*previous) : json::value(nullptr);
  input.connection = restore_masked(*connection, previous ? &prior : nullptr).as_object();
  try {
    Connection parsed = parse_connection(json::serialize(input.connection), "connection");
    input.plugin = parsed.plugin;
    try {
      const json::object schema = plugins.schema(parsed.plugin);
      for (const auto& line : validate_config(schema, parsed.config, "connection.source.config")) {
        errors.push_back(field_error(line));
      }
    } catch (const ApiError& e) {
      errors.push_back({"connection.source.plugin", e.what()});
    }
  } catch (const ConfigError& e) {
    for (const auto& line : e.lines()) {
      // "connection: source.plugin: required" -> path "connection.source.plugin".
      std::string rest = line.rfind("connection: ", 0) == 0 ? line.substr(12) : line;
      FieldError error = field_error(rest);
      error.path = error.path.empty() ? "connection" : "connection." + error.path;
      errors.push_back(error);
    }
  }
  if (!errors.empty()) {
    throw ApiError(422, "invalid_connection", errors.front().path + ": " + errors.front().message, errors);
  }
  return input;
}

json::object connection_json(const ConnectionRow& row, const json::object& file, PluginCatalog& plugins) {
  json::object shown = file;
  if (auto* source = shown.if_contains("source"); source && source->is_object()) {
    if (auto* config = source->as_object().if_contains("config"); config && config->is_object()) {
      json::object schema;
      try {
        schema = plugins.schema(row.plugin);
      } catch (const ApiError&) {
        // Without its schema nothing says which fields are secret: hide them all.
        for (auto& kv : config->as_object()) kv.value() = kMask;
      }
      if (!schema.empty()) *config = mask_secrets(schema, *config);
    }
  }
  if (auto* target = shown.if_contains("target"); target && target->is_string()) {
    *target = masked_target(std::string(target->as_string()));
  }
  json::error_code ec;
  json::value schedule = json::parse(row.schedule_json, ec);
  return {{"id", row.id},
          {"name", row.name},
          {"plugin", row.plugin},
          {"connection", std::move(shown)},
          {"schedule", ec ? json::value(json::object{}) : std::move(schedule)},
          {"created_at", row.created_at},
          {"updated_at", row.updated_at}};
}

}  // namespace sluice::host::serve
