// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults.
#pragma once

#include "column_names.hpp"
#include "column_type.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/endpoint.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace gsheets {

inline constexpr const char* kDefaultBaseUrl = "https://sheets.googleapis.com";

struct ColumnOverride {
  std::string sheet;   // a sheet's title or its stream name (sheet_<sheetId>)
  std::string column;  // the column's name after the naming rule
  ColumnType type = ColumnType::string;
};

struct Settings {
  std::string spreadsheet_id;
  std::string service_account_json;  // secret; empty with an API key
  std::string api_key;               // secret; empty with a service account
  int64_t header_row = 1;
  NameRule names = NameRule::header;
  int64_t rows_per_request = 10000;
  int64_t sample_rows = 200;
  int64_t requests_per_minute = 60;           // this credential's budget
  int64_t project_requests_per_minute = 300;  // its Cloud project's, shared with the project's other credentials
  int retry_attempts = 6;
  std::chrono::milliseconds retry_backoff{2000};
  std::vector<ColumnOverride> overrides;
  sluice::support::Endpoint endpoint;  // base_url, token_url (empty: the key's token_uri), ca_file
};

// The spreadsheet ID in `text`: the ID itself, or the part after /d/ of a
// docs.google.com/spreadsheets URL. Throws Error(config) naming
// config.spreadsheet for anything else (the text is not secret).
std::string spreadsheet_id_from(const std::string& text);

// Throws sluice::Error(config) for a spreadsheet that names no ID, or a
// base_url or token_url that breaks the SDK's endpoint rule.
Settings read_settings(const sluice::Config& config);

}  // namespace gsheets
