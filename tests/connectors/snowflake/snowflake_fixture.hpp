// End-to-end set-up for Snowflake tests: a user's fresh RSA key pair, the
// fake SQL API behind the test kit's FakeServer (TLS with its own CA) with the
// public key registered, and a connection file whose source points at it,
// syncing into a temporary SQLite file through the real sluice CLI.
#pragma once

#include "fake_snowflake.hpp"

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace snowflake_test {

namespace json = boost::json;
using namespace snowflake_fake;

inline constexpr const char* kAccount = "myorg-myaccount";
inline constexpr const char* kUser = "sluice_reader";
inline constexpr const char* kDatabase = "SALES";

class SnowflakeFixture {
 public:
  SnowflakeFixture();
  // Stops the server first: its threads record exchanges into members below it.
  ~SnowflakeFixture() { server.reset(); }

  // Writes conn.json: the source config (defaults plus `config_overrides`),
  // the stream selections (empty: every stream in its default mode).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {});

  sluice::test::ProcessResult sluice(const std::vector<std::string>& args);
  sluice::test::ProcessResult sync() { return sluice({"sync", connection_path()}); }
  sluice::test::ProcessResult check() { return sluice({"check", connection_path()}); }
  json::array discover_streams();

  sluice::test::Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  std::string connection_path() const { return dir.file("conn.json"); }

  struct Exchange {
    FakeRequest request;
    FakeResponse response;
  };
  std::vector<Exchange> exchanges() const;

  sluice::test::TempDir dir;
  std::string db;
  sluice::testkit::RsaKeyPair key;
  std::unique_ptr<FakeSnowflake> fake;
  std::unique_ptr<sluice::testkit::FakeServer> server;

 private:
  mutable std::mutex exchanges_mutex_;
  std::vector<Exchange> exchanges_;
};

// {"name": ..., "namespace": "SALES.<schema>", "mode": ..., cursor and key when given}.
json::object stream_selection(const std::string& schema, const std::string& name, const std::string& mode,
                              const std::string& cursor = "", const std::string& key = "");

}  // namespace snowflake_test
