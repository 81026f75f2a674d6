#include "host/config/config_error.hpp"
#include "host/target/postgres_target.hpp"
#include "host/target/sqlite_target.hpp"
#include "host/target/target_url.hpp"
#include "host/target/target.hpp"

#include <filesystem>

namespace sluice::host {

std::unique_ptr<Target> open_target(const std::string& url) {
  const std::string sqlite_scheme = "sqlite://";
  if (url.rfind(sqlite_scheme, 0) == 0) {
    std::string path = url.substr(sqlite_scheme.size());
    if (path.empty()) throw ConfigError("target " + url + ": missing database file path (sqlite://PATH)");
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (path != ":memory:" && !parent.empty() && !std::filesystem::is_directory(parent)) {
      throw ConfigError("target " + url + ": folder " + parent.string() + " does not exist");
    }
    return std::make_unique<SqliteTarget>(url, path);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    TargetUrl parsed = parse_target_url(url);
    parsed.scheme = "postgresql";
    return std::make_unique<PostgresTarget>(parsed);
  }
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? url : url.substr(0, scheme_end);
  throw ConfigError("target: unsupported URL scheme \"" + scheme +
                    "\" (supported: sqlite://PATH, postgresql://USER:PASSWORD@HOST:PORT/DB; see docs/targets.md)");
}

}  // namespace sluice::host
