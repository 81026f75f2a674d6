// A conformance test's world: a temp folder, a fresh database on one target
// engine, connection files pointing at it, and the CLI run in that folder.
#pragma once

#include "sync/sync_fixture.hpp"  // scripted_stream, numbered_records, mode
#include "target/target_db.hpp"

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::test {

class TargetFixture {
 public:
  // `server_url`: a private server's admin URL instead of the shared one.
  explicit TargetFixture(Engine engine, const std::string& server_url = "")
      : db(TargetDb::create(engine, dir.path().string(), server_url)) {}

  std::string write_scripted(const json::array& streams, const json::array& selections = {},
                             const json::object& namespace_rule = {}) {
    json::object connection{{"source", {{"plugin", "scripted"}, {"config", {{"streams", streams}}}}},
                            {"target", db->url()}};
    if (!selections.empty()) connection["streams"] = selections;
    if (!namespace_rule.empty()) connection["namespace"] = namespace_rule;
    return dir.write("conn.json", json::serialize(connection));
  }

  // A connection for the synthetic plugin with this config and selection.
  std::string write_synthetic(json::object config, const json::array& streams) {
    json::object connection{{"source", {{"plugin", "synthetic"}, {"config", std::move(config)}}},
                            {"target", db->url()},
                            {"streams", streams}};
    return dir.write("conn.json", json::serialize(connection));
  }

  ProcessResult sync(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sync", dir.file("conn.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    return sluice(args);
  }

  ProcessResult sluice(std::vector<std::string> args) {
    args.push_back("--plugin-dir");
    args.push_back(SLUICE_TEST_PLUGIN_DIR);
    args.push_back("--plugin-dir");
    args.push_back(SLUICE_PLUGIN_DIR);
    ProcessOptions options;
    options.working_dir = dir.path().string();
    return run_sluice(args, options);
  }

  Rows rows(const std::string& sql) { return db->rows(sql); }
  std::string value(const std::string& sql) { return db->value(sql); }
  long count(const std::string& table) { return db->count(table); }

  TempDir dir;
  std::unique_ptr<TargetDb> db;
};

// Whether two JSON texts hold the same value (PostgreSQL's JSONB prints
// objects with its own spacing and key order).
inline bool same_json(const std::string& a, const std::string& b) {
  if (a == "NULL" || b == "NULL") return a == b;
  return json::parse(a) == json::parse(b);
}

#define SLUICE_ALL_TARGETS Sqlite, Postgres, Mariadb

}  // namespace sluice::test
