// Google's error answers, and what each means for a sync. Sheets uses the
// standard shape {"error": {"code", "message", "status", "details"}} with no
// errors[] array (unlike BigQuery).
// https://cloud.google.com/apis/design/errors#http_mapping
// https://developers.google.com/workspace/sheets/api/limits
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <string_view>

namespace gsheets {

struct ApiError {
  int status = 0;
  std::string code_name;  // error.status: PERMISSION_DENIED, RESOURCE_EXHAUSTED...
  std::string message;    // error.message, on one line, at most 300 bytes
  bool from_api = false;  // the body was a Google error ({"error": {...}})
};

ApiError parse_api_error(int status, std::string_view body);

// Who made a failed call and on what, for messages that say what to fix.
struct CallContext {
  std::string method;     // "spreadsheets.get", "values.batchGet"
  std::string resource;   // "spreadsheet ID", "sheet 'Orders' rows 2-10001 ('Orders'!A2:F10001)"
  std::string spreadsheet_id;
  std::string principal;  // "service account a@b.iam.gserviceaccount.com" or "an API key"
  bool api_key = false;
  int attempts = 1;       // attempts made before giving up
};

// 401 and a refused API key -> auth; 403 -> auth, saying to share the sheet
// with the service account or, for an API key, to make it public; 404 ->
// config; 429 -> rate_limited; 5xx -> transient; anything else -> source.
// Every message names the method and resource and, when retried, the attempts.
sluice::Error to_error(const ApiError& error, const CallContext& call);

}  // namespace gsheets
