// Helpers for sync tests: a temp folder with a connection file for the
// scripted test plugin (or synthetic), the CLI run in that folder, and the
// resulting SQLite file read back through the sqlite3 C API.
#pragma once

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::test {

namespace json = boost::json;

// A stream for the scripted plugin (see scripted_plugin.cpp).
inline json::object scripted_stream(const std::string& name, const json::object& properties,
                                    const json::array& records) {
  return {{"name", name},
          {"json_schema", {{"type", "object"}, {"properties", properties}}},
          {"cursor", json::array{"ts"}},
          {"primary_key", json::array{json::array{"id"}}},
          {"records", records},
          {"batch_size", 2}};
}

// Records {"id": first..last, "ts": "2026-01-01T00:00:<id>Z", "v": "row<id>"}.
inline json::array numbered_records(int first, int last) {
  json::array out;
  for (int i = first; i <= last; ++i) {
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-01-01T00:%02d:%02dZ", i / 60, i % 60);
    out.push_back(json::object{{"id", i}, {"ts", ts}, {"v", "row" + std::to_string(i)}});
  }
  return out;
}

inline json::object numbered_properties() {
  return {{"id", {{"type", "integer"}}},
          {"ts", {{"type", "string"}, {"format", "date-time"}}},
          {"v", {{"type", "string"}}}};
}

class SyncFixture {
 public:
  SyncFixture() : db(dir.file("sluice.db")) {}

  // Writes conn.json for the scripted plugin with these streams and
  // selections ("mode" etc.; empty = every stream in its default mode).
  std::string write_scripted(const json::array& streams, const json::array& selections = {},
                             const json::object& namespace_rule = {}) {
    json::object connection{{"source", {{"plugin", "scripted"}, {"config", {{"streams", streams}}}}},
                            {"target", "sqlite://" + db}};
    if (!selections.empty()) connection["streams"] = selections;
    if (!namespace_rule.empty()) connection["namespace"] = namespace_rule;
    return dir.write("conn.json", json::serialize(connection));
  }

  std::string write_connection(const json::object& connection) {
    return dir.write("conn.json", json::serialize(connection));
  }

  ProcessResult sync(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sync", dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessOptions options;
    options.working_dir = dir.path().string();
    return run_sluice(args, options);
  }

  ProcessResult sluice(std::vector<std::string> args) {
    args.push_back("--plugin-dir");
    args.push_back(SLUICE_TEST_PLUGIN_DIR);
    ProcessOptions options;
    options.working_dir = dir.path().string();
    return run_sluice(args, options);
  }

  Rows rows(const std::string& sql) const { return sqlite_rows(db, sql); }
  std::string value(const std::string& sql) const { return sqlite_value(db, sql); }
  long count(const std::string& table) const {
    return std::stol(sqlite_value(db, "SELECT COUNT(*) FROM \"" + table + "\""));
  }

  TempDir dir;
  std::string db;
};

inline json::object mode(const std::string& stream, const std::string& sync_mode) {
  return {{"name", stream}, {"mode", sync_mode}};
}

}  // namespace sluice::test
