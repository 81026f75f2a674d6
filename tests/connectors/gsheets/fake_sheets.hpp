// A fake Google Sheets API v4, written from Google's reference pages (each
// behaviour cites its page in fake_sheets.cpp), behind the test kit's
// FakeServer:
//  - POST /token: the service-account JWT grant (RFC 7523), by the test
//    kit's GoogleTokenEndpoint (shared with the BigQuery fake), for every
//    service account added, all of one project;
//    https://developers.google.com/identity/protocols/oauth2/service-account
//  - GET /v4/spreadsheets/{id}: spreadsheets.get with `fields`,
//    includeGridData and `ranges`;
//  - GET /v4/spreadsheets/{id}/values:batchGet and /values/{range}: A1
//    ranges (fake_a1.hpp), majorDimension, valueRenderOption,
//    dateTimeRenderOption, trailing empty cells and rows omitted;
//  - access: a bearer token it issued, for spreadsheets shared with the
//    token's service account; ?key= for public spreadsheets only;
//  - quotas: read requests counted per user (each service account, the API
//    key) and for the project (all of them) in the current minute of its
//    clock (60 and 300 by default), 429 RESOURCE_EXHAUSTED past either;
//    one-off 429s and 503s injected on demand.
// Thread-safe: every call takes one lock.
#pragma once

#include <testkit/fake_server.hpp>
#include <testkit/google_token_endpoint.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace gsheets_fake {

namespace json = boost::json;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

// One cell: its effective value and number format.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
struct Cell {
  enum class Kind { empty, number, string, boolean, error } kind = Kind::empty;
  double number = 0;
  std::string text;       // string value, or an error's display (#N/A)
  bool boolean = false;
  std::string format;     // numberFormat.type: NUMBER, CURRENCY, PERCENT, DATE, TIME, DATE_TIME, TEXT, SCIENTIFIC
  std::string formatted;  // formattedValue; "" computes a plain one
};

Cell empty();
Cell text(std::string value);
Cell number(double value, std::string format = "", std::string formatted = "");
Cell boolean(bool value);
Cell error_cell(std::string display);  // #N/A, #DIV/0!

struct Sheet {
  int64_t sheet_id = 0;
  std::string title;
  std::string type = "GRID";
  int64_t row_count = 1000, column_count = 26;
  std::vector<std::vector<Cell>> rows;  // row 1 first; shorter rows are empty past their end
};

struct Spreadsheet {
  std::string id, title = "Test spreadsheet", time_zone = "Etc/GMT";
  std::vector<Sheet> sheets;
  std::set<std::string> shared_with;  // service accounts' e-mails
  bool public_link = false;           // "Anyone with the link can view"
};

class FakeSheets {
 public:
  // The project's first service account and its API key.
  FakeSheets(std::string client_email, std::string public_key_pem, std::string api_key);
  // Another service account of the same project (its own user quota, the
  // project's quota shared).
  void add_service_account(std::string client_email, std::string public_key_pem);

  FakeResponse handle(const FakeRequest& request);
  void set_token_url(std::string url);

  void add(Spreadsheet spreadsheet);
  // Runs `edit` on a stored spreadsheet under the lock (rename a tab...).
  void edit(const std::string& id, const std::function<void(Spreadsheet&)>& edit);

  // Quotas of read requests per minute (Google: 60 per user, 300 per project).
  void set_quota(int per_user, int per_project);
  // The fake's clock for quota minutes (default: the system clock). Token
  // lifetimes stay on the system clock: a test that stops the quota's
  // minute still gets tokens.
  void set_clock(std::function<std::chrono::system_clock::time_point()> now);
  // The next `count` read requests answer `status` (429 or 503) before anything else.
  void inject_failures(int status, int count);

  int read_requests() const;       // answered with 200
  int refused_for_quota() const;   // 429s, injected or counted
  int tokens_issued() const;

 private:
  FakeResponse route(const FakeRequest& request);
  std::optional<FakeResponse> authorize(const FakeRequest& request, const Spreadsheet& spreadsheet, std::string& user);
  std::optional<FakeResponse> take_quota(const std::string& user);
  FakeResponse get_spreadsheet(const FakeRequest& request, const Spreadsheet& spreadsheet);
  FakeResponse batch_get(const FakeRequest& request, const Spreadsheet& spreadsheet, std::vector<std::string> ranges,
                         bool single);

  mutable std::mutex mutex_;
  std::string api_key_;
  sluice::testkit::GoogleTokenEndpoint tokens_;
  std::map<std::string, Spreadsheet> spreadsheets_;
  int per_user_ = 60, per_project_ = 300;
  std::function<std::chrono::system_clock::time_point()> now_ = std::chrono::system_clock::now;
  int64_t minute_ = -1;
  std::map<std::string, int> used_by_user_;
  int used_by_project_ = 0;
  int injected_status_ = 0, injected_left_ = 0;
  int read_requests_ = 0, refused_for_quota_ = 0;
};

}  // namespace gsheets_fake
