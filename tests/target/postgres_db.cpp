// TargetDb for PostgreSQL: a new database on the test server per test,
// read with libpq.
#include "target/target_db.hpp"

#include <libpq-fe.h>

#include <stdexcept>

namespace sluice::test {

namespace {

// A libpq connection that throws on any failure.
class PgClient {
 public:
  PgClient(const ServerUrl& url, const std::string& database) {
    std::string conninfo = "host=" + url.host + " port=" + std::to_string(url.port) + " user=" + url.user +
                           " password=" + url.password + " dbname=" + database + " connect_timeout=10";
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("test reader cannot connect to postgresql: " + message);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    run("SET TIME ZONE 'UTC'");
  }
  ~PgClient() { PQfinish(conn_); }

  Rows run(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = PQresultErrorMessage(result);
      PQclear(result);
      throw std::runtime_error("postgresql query failed: " + message + " in: " + sql);
    }
    Rows rows;
    for (int r = 0; r < PQntuples(result); ++r) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < PQnfields(result); ++c) {
        row.emplace_back(PQgetisnull(result, r, c) ? "NULL" : PQgetvalue(result, r, c));
      }
    }
    PQclear(result);
    return rows;
  }

 private:
  PGconn* conn_ = nullptr;
};

class PostgresDb : public TargetDb {
 public:
  explicit PostgresDb(const std::string& server_url)
      : server_(parse_server_url(server_url)), name_(unique_database_name()) {
    PgClient(server_, server_.database).run("CREATE DATABASE " + name_);
    client_ = std::make_unique<PgClient>(server_, name_);
  }
  ~PostgresDb() override {
    client_.reset();
    try {
      PgClient(server_, server_.database).run("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // The server may be gone (a test stopped it); its data dir goes anyway.
    }
  }
  Engine engine() const override { return Engine::postgres; }
  void reconnect() override {
    client_.reset();
    client_ = std::make_unique<PgClient>(server_, name_);
  }
  std::string url() const override { return server_.with_database(name_); }
  Rows rows(const std::string& sql) override { return client_->run(sql); }
  void exec(const std::string& sql) override { client_->run(sql); }
  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    for (const auto& row : rows("SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' "
                                "|| table_name END FROM information_schema.tables WHERE table_schema NOT IN "
                                "('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' AND "
                                "table_name NOT IN ('_sluice_state', '_sluice_syncs', '_sluice_locks') ORDER BY 1")) {
      out.push_back(row[0]);
    }
    return out;
  }
  std::string table_sql(const std::string& ns, const std::string& name) const override {
    return ns.empty() ? "\"" + name + "\"" : "\"" + ns + "\".\"" + name + "\"";
  }

 private:
  ServerUrl server_;
  std::string name_;
  std::unique_ptr<PgClient> client_;
};

}  // namespace

std::unique_ptr<TargetDb> make_postgres_db(const std::string& server_url) {
  return std::make_unique<PostgresDb>(server_url);
}

}  // namespace sluice::test
