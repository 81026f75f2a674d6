#include "settings.hpp"

namespace mysql_source {

TlsMode default_tls(const std::string& host) {
  const bool loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
  return loopback ? TlsMode::disabled : TlsMode::verify_identity;
}

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  settings.host = config.string("host");
  settings.port = static_cast<unsigned>(config.optional_integer("port").value_or(3306));
  settings.database = config.string("database");
  settings.user = config.string("user");
  settings.password = config.optional_string("password").value_or("");
  const std::string mode = config.optional_string("ssl_mode").value_or("");
  settings.tls = mode == "disabled"   ? TlsMode::disabled
                 : mode == "required" ? TlsMode::required
                 : mode.empty()       ? default_tls(settings.host)
                                      : TlsMode::verify_identity;
  settings.ca_file = config.optional_string("ca_file").value_or("");
  settings.filter.include = config.optional_strings("include");
  settings.filter.exclude = config.optional_strings("exclude");
  settings.chunk_rows = config.optional_integer("chunk_rows").value_or(200000);
  settings.parallelism = static_cast<size_t>(config.optional_integer("parallelism").value_or(1));
  settings.statement_timeout = std::chrono::seconds(config.optional_integer("statement_timeout_seconds").value_or(0));
  return settings;
}

}  // namespace mysql_source
