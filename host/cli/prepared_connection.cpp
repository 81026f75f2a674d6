#include "host/cli/prepared_connection.hpp"

#include "host/cli/output.hpp"

#include "host/config/config_error.hpp"
#include "host/config/schema_validator.hpp"
#include "host/config/secret_refs.hpp"
#include "host/config/secrets.hpp"

namespace sluice::host::cli {

PreparedConnection prepare_connection(const std::string& file, const PluginRegistry& registry) {
  return prepare_connection(load_connection(file), registry);
}

PreparedConnection prepare_connection(Connection connection, const PluginRegistry& registry) {
  PreparedConnection prepared;
  prepared.connection = std::move(connection);
  prepared.plugin = &registry.require(prepared.connection.plugin);
  set_log_plugin(prepared.connection.plugin);  // named in --log-format json lines
  const auto& schema = prepared.plugin->config_schema();

  auto resolved = resolve_secret_refs(prepared.connection.config, prepared.connection.file.parent_path(),
                                      "source.config");
  // Registered before validation, so not even an error message can show them.
  for (auto& secret : collect_secret_values(schema, resolved)) Redactor::instance().add(std::move(secret));

  auto errors = validate_config(schema, resolved, "source.config");
  if (!errors.empty()) {
    for (auto& line : errors) line = prepared.connection.file.filename().string() + ": " + line;
    throw ConfigError(errors);
  }
  prepared.config = apply_defaults(schema, resolved);
  return prepared;
}

}  // namespace sluice::host::cli
