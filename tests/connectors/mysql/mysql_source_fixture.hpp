// End-to-end set-up for MySQL / MariaDB source tests: a fresh database on
// the suite's throwaway MariaDB server (tests/target's fixture starts it) as
// the source, filled through the test's own libmariadb reader (ANSI_QUOTES:
// "names", 'strings'), and a connection file syncing it with the real sluice
// CLI and plugin into a temporary SQLite file.
#pragma once

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"
#include "target/target_db.hpp"

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mysql_source_test {

namespace json = boost::json;
using sluice::test::ProcessResult;
using sluice::test::Rows;

class MysqlSourceFixture {
 public:
  MysqlSourceFixture();

  // Runs each statement on the source database.
  void exec(const std::vector<std::string>& statements);
  // The source's name: the streams' namespace.
  std::string database() const { return server.database; }

  // Writes conn.json: host, port, database, user, password of the source
  // plus `config_overrides`, the selections (empty: every stream).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {});

  ProcessResult sluice(const std::vector<std::string>& args, sluice::test::ProcessOptions options = {});
  ProcessResult sync() { return sluice({"sync", connection_path()}); }
  json::array discover_streams();

  Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  // How many statements of the source database whose text holds `tag` are
  // running (the processlist, the asker's own left out), as text.
  std::string running(const std::string& tag);
  std::string connection_path() const { return dir.file("conn.json"); }
  // The SQLite table a stream of the source lands in.
  std::string table(const std::string& stream) const { return database() + "__" + stream; }

  sluice::test::TempDir dir;
  std::string db;
  std::unique_ptr<sluice::test::TargetDb> source;
  sluice::test::ServerUrl server;
};

json::object selection(const std::string& ns, const std::string& name, const std::string& mode,
                       const std::string& cursor = "", const std::string& key = "");

}  // namespace mysql_source_test
