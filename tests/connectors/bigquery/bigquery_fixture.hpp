// End-to-end set-up for BigQuery tests: a test service account (fresh RSA
// key), the fake BigQuery behind the test kit's FakeServer (TLS with its own
// CA), and a connection file whose source points at it, syncing into a
// temporary SQLite file through the real sluice CLI.
#pragma once

#include "fake_bigquery.hpp"

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>


#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bigquery_test {

namespace json = boost::json;
using namespace bigquery_fake;

inline constexpr const char* kProject = "my-proj";
inline constexpr const char* kServiceAccount = "sluice-reader@my-proj.iam.gserviceaccount.com";
inline const std::string kApiRoot = std::string("/bigquery/v2/projects/") + kProject;

class BigQueryFixture {
 public:
  BigQueryFixture();
  // Stops the server first, then takes the exchanges' lock once, so no
  // answer is recorded while (or after) they are destroyed.
  ~BigQueryFixture();

  // Writes conn.json: the source config (defaults plus `config_overrides`),
  // the stream selections (empty: every stream in its default mode).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {});

  sluice::test::ProcessResult sluice(const std::vector<std::string>& args);
  sluice::test::ProcessResult sync() { return sluice({"sync", connection_path()}); }
  sluice::test::ProcessResult check() { return sluice({"check", connection_path()}); }
  json::array discover_streams();

  sluice::test::Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  // How many requests the fake has received with this method and path
  // (decoded, without the query string): "GET", kApiRoot + "/datasets/d/tables/t".
  size_t requests_to(const std::string& method, const std::string& path) const;
  std::string connection_path() const { return dir.file("conn.json"); }

  // Every request the fake answered, with its answer, in order.
  struct Exchange {
    FakeRequest request;
    FakeResponse response;
  };
  std::vector<Exchange> exchanges() const;
  // False: exchanges are not kept (a test of memory over a huge result).
  std::atomic<bool> keep_exchanges{true};

  sluice::test::TempDir dir;
  std::string db;
  std::string key_json;  // the service account key the connector uses
  std::string private_key_pem;
  std::unique_ptr<FakeBigQuery> fake;
  std::unique_ptr<sluice::testkit::FakeServer> server;

 private:
  mutable std::mutex exchanges_mutex_;
  std::vector<Exchange> exchanges_;
};

// {"name": ..., "namespace": ..., "mode": ..., cursor and key when given}.
json::object stream_selection(const std::string& ns, const std::string& name, const std::string& mode,
                              const std::string& cursor = "", const std::string& key = "");

}  // namespace bigquery_test
