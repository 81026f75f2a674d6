// End-to-end set-up for Databricks tests: the fake workspace and its fake
// cloud storage host, each behind a test kit FakeServer on TLS with a
// certificate of its own (both in the connection's ca_file), and
// a connection file whose source points at the workspace, syncing into a
// temporary SQLite file through the real sluice CLI.
#pragma once

#include "fake_databricks.hpp"

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <testkit/fake_server.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace databricks_test {

namespace json = boost::json;
using namespace databricks_fake;

inline constexpr const char* kCatalog = "main";
inline constexpr const char* kToken = "dapi0123456789abcdef-test";

class DatabricksFixture {
 public:
  DatabricksFixture();
  // Stops the servers first: their threads record exchanges into members below them.
  ~DatabricksFixture() {
    storage.reset();
    server.reset();
  }

  // Writes conn.json: the source config (defaults plus `config_overrides`),
  // the stream selections (empty: every stream in its default mode).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {});

  sluice::test::ProcessResult sluice(const std::vector<std::string>& args);
  sluice::test::ProcessResult sync() { return sluice({"sync", connection_path()}); }
  sluice::test::ProcessResult check() { return sluice({"check", connection_path()}); }
  json::array discover_streams();

  sluice::test::Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  std::string connection_path() const { return dir.file("conn.json"); }
  std::string ca_file;  // the workspace's and the storage host's certificates

  // The workspace's answers, in order (for the spec conformance test).
  struct Exchange {
    FakeRequest request;
    FakeResponse response;
  };
  std::vector<Exchange> exchanges() const;

  sluice::test::TempDir dir;
  std::string db;
  std::unique_ptr<FakeDatabricks> fake;
  std::unique_ptr<sluice::testkit::FakeServer> server;   // the workspace
  std::unique_ptr<sluice::testkit::FakeServer> storage;  // the cloud storage host of external links

 private:
  mutable std::mutex exchanges_mutex_;
  std::vector<Exchange> exchanges_;
};

// {"name": ..., "namespace": "main.<schema>", "mode": ..., cursor and key when given}.
json::object stream_selection(const std::string& schema, const std::string& name, const std::string& mode,
                              const std::string& cursor = "", const std::string& key = "");

}  // namespace databricks_test
