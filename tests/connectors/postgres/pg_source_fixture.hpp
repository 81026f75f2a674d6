// End-to-end set-up for PostgreSQL source tests: a fresh database on the
// suite's throwaway PostgreSQL server (tests/target's fixture starts it) as
// the source, filled through the test's own libpq reader, and a connection
// file syncing it with the real sluice CLI and plugin into a temporary
// SQLite file (or any target URL).
#pragma once

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"
#include "target/target_db.hpp"

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pg_source_test {

namespace json = boost::json;
using sluice::test::ProcessResult;
using sluice::test::Rows;

class PgSourceFixture {
 public:
  PgSourceFixture();

  // Writes conn.json: config {"url": the source's URL} plus
  // `config_overrides`, the selections (empty: every stream, default mode),
  // the target ("" : the SQLite file).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {},
                               const std::string& target = "");

  ProcessResult sluice(const std::vector<std::string>& args, sluice::test::ProcessOptions options = {});
  ProcessResult sync() { return sluice({"sync", connection_path()}); }
  json::array discover_streams();

  Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  // How many statements of the source database whose text holds `tag` are
  // running (pg_stat_activity, the asker's own left out), as text.
  std::string running(const std::string& tag);
  std::string connection_path() const { return dir.file("conn.json"); }
  // The source's URL with another user and password.
  std::string url_as(const std::string& user, const std::string& password) const;

  sluice::test::TempDir dir;
  std::string db;
  std::unique_ptr<sluice::test::TargetDb> source;
};

// {"name", "namespace", "mode"} and cursor / key when given.
json::object selection(const std::string& schema, const std::string& name, const std::string& mode,
                       const std::string& cursor = "", const std::string& key = "");

// Runs `sql` on the source server's admin database (roles are cluster-wide).
void admin_exec(const std::string& sql);

}  // namespace pg_source_test
