// TargetDb for MariaDB: a new database on the test server per test, read
// with libmariadb in ANSI_QUOTES mode so tests share one SQL spelling.
#include "target/target_db.hpp"

#include <mysql.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace sluice::test {

namespace {

class MariaClient {
 public:
  MariaClient(const ServerUrl& url, const std::string& database) {
    mysql_ = mysql_init(nullptr);
    if (!mysql_real_connect(mysql_, url.host.c_str(), url.user.c_str(), url.password.c_str(), database.c_str(),
                            static_cast<unsigned>(url.port), nullptr, 0)) {
      std::string message = mysql_error(mysql_);
      mysql_close(mysql_);
      throw std::runtime_error("test reader cannot connect to mariadb: " + message);
    }
    run("SET NAMES utf8mb4");
    run("SET time_zone = '+00:00'");
    run("SET SESSION sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'");
  }
  ~MariaClient() { mysql_close(mysql_); }

  Rows run(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      throw std::runtime_error(std::string("mariadb query failed: ") + mysql_error(mysql_) + " in: " + sql);
    }
    Rows rows;
    MYSQL_RES* result = mysql_store_result(mysql_);
    if (!result) return rows;
    unsigned width = mysql_num_fields(result);
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
      unsigned long* lengths = mysql_fetch_lengths(result);
      auto& out = rows.emplace_back();
      for (unsigned c = 0; c < width; ++c) out.emplace_back(row[c] ? std::string(row[c], lengths[c]) : "NULL");
    }
    mysql_free_result(result);
    return rows;
  }

 private:
  MYSQL* mysql_ = nullptr;
};

// Namespaces are databases, shared by the whole server: the reader lists
// (and drops at the end) those that appeared while the test ran, except
// other tests' own databases.
class MariaDb : public TargetDb {
 public:
  explicit MariaDb(const std::string& server_url)
      : server_(parse_server_url(server_url)), name_(unique_database_name()) {
    MariaClient admin(server_, server_.database);
    admin.run("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    for (const auto& row : admin.run("SHOW DATABASES")) before_.insert(row[0]);
    client_ = std::make_unique<MariaClient>(server_, name_);
  }
  ~MariaDb() override {
    try {
      for (const auto& db : new_namespaces()) client_->run("DROP DATABASE IF EXISTS \"" + db + "\"");
      client_->run("DROP DATABASE IF EXISTS " + name_);
    } catch (...) {
      // The server may be gone (a test stopped it); its data dir goes anyway.
    }
  }
  Engine engine() const override { return Engine::mariadb; }
  void reconnect() override {
    client_.reset();
    client_ = std::make_unique<MariaClient>(server_, name_);
  }
  std::string url() const override { return server_.with_database(name_); }
  Rows rows(const std::string& sql) override { return client_->run(sql); }
  void exec(const std::string& sql) override { client_->run(sql); }
  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    std::string schemas = "'" + name_ + "'";
    for (const auto& db : new_namespaces()) schemas += ", '" + db + "'";
    for (const auto& row : rows("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema "
                                "IN (" + schemas + ") AND table_name NOT IN ('_sluice_state', '_sluice_syncs', '_sluice_locks')")) {
      out.push_back(row[0] == name_ ? row[1] : row[0] + "." + row[1]);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string table_sql(const std::string& ns, const std::string& name) const override {
    return ns.empty() ? "\"" + name + "\"" : "\"" + ns + "\".\"" + name + "\"";
  }

 private:
  std::vector<std::string> new_namespaces() {
    std::vector<std::string> out;
    for (const auto& row : client_->run("SHOW DATABASES")) {
      if (!before_.count(row[0]) && row[0].rfind("sluice_t_", 0) != 0) out.push_back(row[0]);
    }
    return out;
  }

  ServerUrl server_;
  std::string name_;
  std::set<std::string> before_;
  std::unique_ptr<MariaClient> client_;
};

}  // namespace

std::unique_ptr<TargetDb> make_mariadb_db(const std::string& server_url) {
  return std::make_unique<MariaDb>(server_url);
}

}  // namespace sluice::test
