// End-to-end set-up for Google Sheets tests: a test service account (fresh
// RSA key), the fake Sheets API behind the test kit's FakeServer (TLS with
// its own CA), and a connection file whose source points at it, syncing
// into a temporary SQLite file through the real sluice CLI.
#pragma once

#include "fake_sheets.hpp"

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gsheets_test {

namespace json = boost::json;
using namespace gsheets_fake;
using sluice::test::Rows;

inline constexpr const char* kSpreadsheetId = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd";
inline constexpr const char* kServiceAccount = "sheets-reader@my-proj.iam.gserviceaccount.com";
inline constexpr const char* kApiKey = "AIzaSyFakeKey-0123456789abcdefghijklmn";

class SheetsFixture {
 public:
  SheetsFixture();
  ~SheetsFixture();  // stops the server before the exchanges go

  // Writes conn.json: the source config (service account, no retry waits,
  // plus `config_overrides`), the stream selections (empty: every stream).
  std::string write_connection(const json::array& streams = {}, const json::object& config_overrides = {});
  // The same with the API key as the credential.
  std::string write_api_key_connection(const json::array& streams = {});

  sluice::test::ProcessResult sluice(const std::vector<std::string>& args);
  sluice::test::ProcessResult sync() { return sluice({"sync", connection_path()}); }
  sluice::test::ProcessResult check() { return sluice({"check", connection_path()}); }
  json::array discover_streams();
  Rows rows(const std::string& sql) { return sluice::test::sqlite_rows(db, sql); }
  std::string connection_path() const { return dir.file("conn.json"); }

  struct Exchange {
    FakeRequest request;
    FakeResponse response;
  };
  std::vector<Exchange> exchanges() const;
  // Requests whose path ends with `suffix` (":batchGet", the spreadsheet id).
  std::vector<FakeRequest> requests_ending(const std::string& suffix) const;

  sluice::test::TempDir dir;
  std::string db;
  std::string key_json;
  std::unique_ptr<FakeSheets> fake;
  std::unique_ptr<sluice::testkit::FakeServer> server;

 private:
  json::object base_config() const;
  mutable std::mutex exchanges_mutex_;
  std::vector<Exchange> exchanges_;
};

json::object stream_selection(const std::string& name, const std::string& mode, const std::string& cursor = "",
                              const std::string& key = "");

// The test account's key pair (one per process: RSA generation is slow).
const sluice::testkit::RsaKeyPair& test_key();

// A spreadsheet shared with the test account holding `sheets`.
Spreadsheet shared_spreadsheet(std::vector<Sheet> sheets);
// Sheet `title` (sheetId `id`): `header` then `rows`, 1000 rows of grid.
Sheet sheet(int64_t id, std::string title, std::vector<Cell> header, std::vector<std::vector<Cell>> rows);
std::vector<Cell> header(const std::vector<std::string>& names);

}  // namespace gsheets_test
