// One empty database per test on each target engine, and a reader for it
// that goes through the engine's own client library (sqlite3, libpq,
// libmariadb), independently of the code under test.
//
// SQL given to rows() is the portable subset the three engines share, with
// identifiers in "double quotes" (the MariaDB session runs with
// ANSI_QUOTES). Values come back as text, SQL NULL as "NULL".
#pragma once

#include "common/sqlite_reader.hpp"  // Rows

#include <memory>
#include <string>
#include <vector>

namespace sluice::test {

enum class Engine { sqlite, postgres, mariadb };

// Catch2 template parameters: each test case runs once per engine, as its
// own CTest test ("<name> - Postgres").
struct Sqlite { static constexpr Engine engine = Engine::sqlite; };
struct Postgres { static constexpr Engine engine = Engine::postgres; };
struct Mariadb { static constexpr Engine engine = Engine::mariadb; };

class TargetDb {
 public:
  // A fresh empty database: a file in `work_dir` for SQLite, a new database
  // on the test server for the others (dropped again by the destructor).
  // Throws std::runtime_error naming the server file when a test server is
  // not running: never skipped.
  // `server_url`: an admin URL of another server than the shared one.
  static std::unique_ptr<TargetDb> create(Engine engine, const std::string& work_dir,
                                          const std::string& server_url = "");
  virtual ~TargetDb() = default;

  virtual Engine engine() const = 0;
  // Opens the reader's connection again (after a test restarted the server).
  virtual void reconnect() {}
  // The target URL a connection file uses (with the test password).
  virtual std::string url() const = 0;
  virtual Rows rows(const std::string& sql) = 0;
  virtual void exec(const std::string& sql) = 0;
  // Every table but Sluice's metadata tables (staging leftovers show), sorted, as "name" in the default namespace
  // and "ns.name" in another one (SQLite stores ns.name as "ns__name").
  virtual std::vector<std::string> tables() = 0;
  // How SQL names table `name` of namespace `ns` ("" = default).
  virtual std::string table_sql(const std::string& ns, const std::string& name) const = 0;

  std::string value(const std::string& sql);
  long count(const std::string& table) { return std::stol(value("SELECT COUNT(*) FROM " + table_sql("", table))); }
  bool has_table(const std::string& name);
};

// The parts of a test server URL scheme://user:password@host:port/db (no
// percent-encoding: the test scripts write plain ones).
struct ServerUrl {
  std::string scheme, user, password, host, database;
  int port = 0;
  std::string with_database(const std::string& database) const;
};
ServerUrl parse_server_url(const std::string& url);

// A database name no other test (in this or a parallel process) uses.
std::string unique_database_name();

// The admin URL of a running test server (written by scripts/test-servers),
// or throws saying how to start one.
std::string test_server_url(const std::string& engine_name);

}  // namespace sluice::test
