#include "host/config/config_error.hpp"
#include "host/config/secrets.hpp"
#include "host/target/mysql_connection.hpp"
#include "host/target/postgres_connection.hpp"
#include "host/target/sqlite_connection.hpp"
#include "host/target/target_url.hpp"
#include "host/target/target.hpp"

#include <filesystem>

namespace sluice::host {

namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Parses a network target URL and registers its password with the
// Redactor, so no line the CLI prints can carry it, whatever a client
// library or the server puts in a message.
TargetUrl parse_network_url(const std::string& url, const char* scheme) {
  TargetUrl parsed = parse_target_url(url);
  parsed.scheme = scheme;
  Redactor::instance().add(parsed.password);
  for (const auto& [key, value] : parsed.options) {
    if (key == "password" || key == "sslpassword") Redactor::instance().add(value);
  }
  return parsed;
}

}  // namespace

std::unique_ptr<Target> open_target(const std::string& url) {
  const std::string sqlite_scheme = "sqlite://";
  if (starts_with(url, "sqlite://")) {
    std::string path = url.substr(sqlite_scheme.size());
    if (path.empty()) throw ConfigError("target " + url + ": missing database file path (sqlite://PATH)");
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (path != ":memory:" && !parent.empty() && !std::filesystem::is_directory(parent)) {
      throw ConfigError("target " + url + ": folder " + parent.string() + " does not exist");
    }
    // Anything but a database file (or none yet) would make the SQLite
    // connector retry for a minute before it fails.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (path != ":memory:" && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
      throw ConfigError("target " + url + ": " + path + " is " +
                        (std::filesystem::is_directory(status) ? "a folder" : "not a regular file") +
                        ", not a database file");
    }
    return std::make_unique<Target>(sqlite_dialect(), std::make_unique<SqliteConnection>(url, path));
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return std::make_unique<Target>(postgres_dialect(),
                                    std::make_unique<PostgresConnection>(parse_network_url(url, "postgresql")));
  }
  if (starts_with(url, "mysql://") || starts_with(url, "mariadb://")) {
    return std::make_unique<Target>(mysql_dialect(),
                                    std::make_unique<MysqlConnection>(parse_network_url(url, "mysql")));
  }
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? url : url.substr(0, scheme_end);
  throw ConfigError("target: unsupported URL scheme \"" + scheme +
                    "\" (supported: sqlite://PATH, postgresql://HOST:PORT/DB and mysql://HOST:PORT/DB, "
                    "with USER:PASSWORD@ before HOST; see docs/targets.md)");
}

}  // namespace sluice::host
