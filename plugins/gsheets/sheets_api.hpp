// The Sheets API v4 calls the connector makes, over the SDK's HTTP client
// (retries of 429 RESOURCE_EXHAUSTED and 5xx with exponential backoff and
// jitter; bearer tokens from the service account through the SDK's Google
// flow, renewed after a 401; or the API key as ?key=). Every request first
// takes its turn in the RequestBudgets of its credential and of its Cloud
// project, waiting on the client's clock (HttpOptions::now and ::sleep). Every failure becomes a
// sluice::Error through api_error.hpp naming the call and what it read.
// https://developers.google.com/workspace/sheets/api/reference/rest
#pragma once

#include <sluice/sdk.hpp>

#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice::support {
struct HttpOptions;
}

namespace gsheets {

struct Settings;

struct SheetInfo {
  int64_t sheet_id = 0;  // stable across renames: the stream's identity
  std::string title;     // what ranges name
  int64_t index = 0;
  std::string type;      // GRID, OBJECT, DATA_SOURCE
  int64_t row_count = 0, column_count = 0;
};

struct SpreadsheetInfo {
  std::string title, time_zone;
  std::vector<SheetInfo> sheets;
};

class SheetsApi {
 public:
  // Throws sluice::Error(config) for a malformed service account key.
  // `adjust` edits the HTTP client's options before it is made (tests
  // inject the clock and the sleep).
  SheetsApi(const Settings& settings, const sluice::Logger& log,
            const std::function<void(sluice::support::HttpOptions&)>& adjust = {});
  ~SheetsApi();
  SheetsApi(const SheetsApi&) = delete;
  SheetsApi& operator=(const SheetsApi&) = delete;

  // spreadsheets.get restricted by `fields` to the title, time zone and sheet properties.
  SpreadsheetInfo spreadsheet();
  // spreadsheets.get with includeGridData for `ranges` (A1), restricted to
  // each cell's formattedValue, effectiveValue and number format type.
  boost::json::object grid_data(const std::vector<std::string>& ranges);
  // values.batchGet of one range (rows, UNFORMATTED_VALUE, SERIAL_NUMBER):
  // the answer's text. `resource` names the sheet and rows in messages.
  std::string values(const std::string& range, const std::string& resource);

  // "service account x@y" or "an API key": who reads, for messages.
  const std::string& principal() const;
  // The Cloud project whose quota the reads count against: the key file's
  // project_id ("" with an API key, whose project Sluice cannot know).
  const std::string& project() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gsheets
