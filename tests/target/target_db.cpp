#include "target/target_db.hpp"

#include "common/temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

namespace sluice::test {

std::unique_ptr<TargetDb> make_sqlite_db(const std::string& work_dir);
std::unique_ptr<TargetDb> make_postgres_db(const std::string& server_url);
std::unique_ptr<TargetDb> make_mariadb_db(const std::string& server_url);

std::unique_ptr<TargetDb> TargetDb::create(Engine engine, const std::string& work_dir, const std::string& server_url) {
  switch (engine) {
    case Engine::sqlite: return make_sqlite_db(work_dir);
    case Engine::postgres: return make_postgres_db(server_url.empty() ? test_server_url("postgres") : server_url);
    case Engine::mariadb: return make_mariadb_db(server_url.empty() ? test_server_url("mariadb") : server_url);
  }
  throw std::logic_error("unknown engine");
}

std::string TargetDb::value(const std::string& sql) {
  Rows result = rows(sql);
  if (result.size() != 1 || result[0].size() != 1) {
    throw std::runtime_error("expected one value from: " + sql + " (got " + std::to_string(result.size()) + " rows)");
  }
  return result[0][0];
}

bool TargetDb::has_table(const std::string& name) {
  auto all = tables();
  return std::find(all.begin(), all.end(), name) != all.end();
}

ServerUrl parse_server_url(const std::string& url) {
  ServerUrl out;
  auto scheme_end = url.find("://");
  auto at = url.rfind('@');
  auto colon = url.find(':', scheme_end + 3);
  auto port_colon = url.find(':', at);
  auto slash = url.find('/', at);
  if (scheme_end == std::string::npos || at == std::string::npos || port_colon == std::string::npos ||
      slash == std::string::npos) {
    throw std::runtime_error("unexpected test server URL format");
  }
  out.scheme = url.substr(0, scheme_end);
  out.user = url.substr(scheme_end + 3, colon - scheme_end - 3);
  out.password = url.substr(colon + 1, at - colon - 1);
  out.host = url.substr(at + 1, port_colon - at - 1);
  out.port = std::stoi(url.substr(port_colon + 1, slash - port_colon - 1));
  out.database = url.substr(slash + 1);
  return out;
}

std::string ServerUrl::with_database(const std::string& name) const {
  return scheme + "://" + user + ":" + password + "@" + host + ":" + std::to_string(port) + "/" + name;
}

std::string unique_database_name() {
  static int counter = 0;
  return "sluice_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

std::string test_server_url(const std::string& engine_name) {
  std::filesystem::path file = std::filesystem::path(SLUICE_TEST_SERVERS_DIR) / engine_name / "url";
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error("the " + engine_name + " test server is not running (" + file.string() +
                             " is missing): run the suite with ctest, whose fixture starts it, or "
                             "scripts/test-servers/" + engine_name + ".sh start " +
                             std::filesystem::path(file).parent_path().string());
  }
  std::string url = read_file(file);
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  return url;
}

}  // namespace sluice::test
