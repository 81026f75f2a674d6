#include "host/sync/catalog_lint.hpp"

#include "host/config/closest_name.hpp"
#include "host/config/schema_check.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/sync/stream_plan.hpp"
#include "host/common/vocabulary.hpp"

#include <optional>

namespace sluice::host {

namespace {

namespace json = boost::json;

std::optional<std::string> mode_problem(const json::value& listed, sluice_sync_modes plugin_modes) {
  const auto* modes = listed.if_array();
  if (!modes) return "supported_sync_modes: must be a list of sync mode names";
  std::vector<SyncMode> declared;
  std::vector<std::string> known;
  for (SyncMode mode : all_sync_modes()) {
    known.emplace_back(to_string(mode));
    if (plugin_modes & mode_bit(mode)) declared.push_back(mode);
  }
  for (const auto& entry : *modes) {
    if (!entry.is_string()) return "supported_sync_modes: must be a list of sync mode names";
    const std::string name(entry.get_string());
    auto mode = parse_sync_mode(name);
    if (!mode) {
      auto hint = closest_name(name, known);
      return "supported_sync_modes: unknown sync mode \"" + name + "\" (" +
             (hint ? "did you mean \"" + *hint + "\"?" : "expected one of " + mode_list(all_sync_modes())) + ")";
    }
    if (!(plugin_modes & mode_bit(*mode))) {
      return "supported_sync_modes: " + name + " is not among the modes the plugin declares (" +
             mode_list(declared) + ")";
    }
  }
  return std::nullopt;
}

std::optional<std::string> stream_problem(const json::object& stream, sluice_sync_modes plugin_modes) {
  const auto* schema = stream.if_contains("json_schema");
  if (!schema) return "json_schema: missing";
  if (auto problem = check_record_schema(*schema, "json_schema")) return problem;
  if (const auto* modes = stream.if_contains("supported_sync_modes")) {
    if (auto problem = mode_problem(*modes, plugin_modes)) return problem;
  }
  for (const char* flag : {"source_defined_cursor", "source_defined_primary_key"}) {
    if (const auto* value = stream.if_contains(flag); value && !value->is_bool()) {
      return std::string(flag) + ": must be true or false";
    }
  }
  return std::nullopt;
}

// "events", or "billing.events" for a stream with a namespace.
std::string stream_label(const json::object& stream) {
  std::string name(stream.at("name").get_string());
  const auto* ns = stream.if_contains("namespace");
  return ns && ns->is_string() && !ns->get_string().empty() ? std::string(ns->get_string()) + "." + name : name;
}

}  // namespace

void lint_catalog(const json::object& catalog, std::string_view plugin_name, sluice_sync_modes plugin_modes,
                  const Connection& connection, const std::vector<std::string>& only) {
  const std::string plugin = "plugin " + std::string(plugin_name) + ": ";
  const auto* streams = catalog.if_contains("streams");
  if (!streams || !streams->is_array()) {
    throw PluginError(ErrorKind::internal, plugin + "catalog: \"streams\" must be a list of streams");
  }
  for (size_t i = 0; i < streams->get_array().size(); ++i) {
    const auto* stream = streams->get_array()[i].if_object();
    const auto* name = stream ? stream->if_contains("name") : nullptr;
    if (!name || !name->is_string() || name->get_string().empty()) {
      throw PluginError(ErrorKind::internal,
                        plugin + "catalog: streams/" + std::to_string(i) + " needs a non-empty string \"name\"");
    }
  }
  for (const json::object* stream : selected_catalog_streams(catalog, connection, only)) {
    if (auto problem = stream_problem(*stream, plugin_modes)) {
      throw PluginError(ErrorKind::internal, plugin + "stream " + stream_label(*stream) + ": " + *problem);
    }
  }
}

}  // namespace sluice::host
