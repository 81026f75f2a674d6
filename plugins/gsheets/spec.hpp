// The Google Sheets connector's config schema. The host validates configs
// against it and renders it with `sluice spec gsheets --format markdown`
// (docs/connectors/gsheets.md holds that table verbatim). base_url,
// token_url and ca_file come from the SDK's shared endpoint rule.
#pragma once

namespace gsheets {

// The full spec JSON: kSpecBase plus the SDK's endpoint properties.
const char* spec_json();

// https://developers.google.com/workspace/sheets/api/guides/concepts
// https://developers.google.com/workspace/sheets/api/limits
inline constexpr const char* kSpecBase = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Google Sheets",
  "type": "object",
  "additionalProperties": false,
  "required": ["spreadsheet", "credentials"],
  "properties": {
    "spreadsheet": {"type": "string", "order": 0, "minLength": 1,
                    "title": "Spreadsheet", "description": "The spreadsheet's ID, or its URL as the browser shows it (https://docs.google.com/spreadsheets/d/ID/edit#gid=0): the ID is taken from it.",
                    "examples": ["https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd/edit"]},
    "credentials": {
      "title": "Authentication", "order": 1,
      "description": "A service account the spreadsheet is shared with (private sheets), or an API key (public sheets only).",
      "oneOf": [
        {
          "title": "Service account", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "service_account_json"],
          "properties": {
            "auth_type": {"const": "service_account", "title": "Type", "order": 0},
            "service_account_json": {"type": "string", "title": "Service account key", "order": 1, "secret": true, "minLength": 2,
                                     "description": "The service account's JSON key, as text or {\"$file\": \"key.json\"}. Share the spreadsheet with its client_email (Viewer is enough)."}
          }
        },
        {
          "title": "API key", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "api_key"],
          "properties": {
            "auth_type": {"const": "api_key", "title": "Type", "order": 0},
            "api_key": {"type": "string", "title": "API key", "order": 1, "secret": true, "minLength": 1,
                        "description": "A Google Cloud API key with the Sheets API enabled. Reads only spreadsheets shared as 'Anyone with the link'."}
          }
        }
      ]
    },
    "header_row": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1, "order": 2,
                   "title": "Header row", "description": "The row (1-based) that holds the column names; data starts on the row below it."},
    "column_names": {"type": "string", "enum": ["header", "snake_case"], "default": "header", "order": 3,
                     "title": "Column names", "description": "header: the header text, trimmed, whitespace runs as one space; snake_case: lower case, every run of other characters as one _. Either way an empty header is column_N (N its 1-based column) and a repeated name gets _2, _3."},
    "rows_per_request": {"type": "integer", "minimum": 100, "maximum": 100000, "default": 10000, "order": 4,
                         "title": "Rows per request", "description": "The most rows one values.batchGet asks for; fewer when rows are wide, so a response stays under 2 MB (Google's recommended maximum payload)."},
    "sample_rows": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 200, "order": 5,
                    "title": "Rows sampled for types", "description": "Data rows below the header whose values and number formats decide each column's type at discovery."},
    "column_types": {"type": "array", "default": [], "order": 6,
                     "title": "Column type overrides", "description": "Types that win over inference: {\"sheet\": title or stream name, \"column\": name, \"type\": string, number, integer, boolean, date, time or date-time}.",
                     "items": {"type": "object", "additionalProperties": false, "required": ["sheet", "column", "type"],
                               "properties": {"sheet": {"type": "string", "minLength": 1, "title": "Sheet", "description": "The tab's title, or its stream name sheet_<sheetId>."},
                                              "column": {"type": "string", "minLength": 1, "title": "Column", "description": "The column's name, after the column_names rule."},
                                              "type": {"type": "string", "enum": ["string", "number", "integer", "boolean", "date", "time", "date-time"], "title": "Type", "description": "The column's type; a value it cannot hold lands in _sluice_uncast."}}}},
    "requests_per_minute": {"type": "integer", "minimum": 1, "maximum": 300, "default": 60, "order": 7,
                            "title": "Read requests per minute", "description": "Sluice's own budget of read requests per minute for this credential (Google's quota: 60 per user per minute); it waits rather than exceed it."},
    "project_requests_per_minute": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 300, "order": 8,
                                    "title": "Read requests per minute per project", "description": "Sluice's budget of read requests per minute for the Cloud project, shared by every connection of the process whose credential belongs to it (the service account key's project_id; an API key counts as a project of its own). Google's quota is 300 per project per minute; raise this only if the project's quota was raised."},
    "retry_attempts": {"type": "integer", "minimum": 1, "maximum": 10, "default": 6, "order": 9,
                       "title": "Attempts per request", "description": "Attempts of one request on 429 RESOURCE_EXHAUSTED and 5xx answers, including the first; then the stream fails."},
    "retry_backoff_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 2000, "order": 10,
                         "title": "First retry wait (ms)", "description": "The wait before the first retry, doubled for each next one (with jitter), at most 60 s: Google refills quotas every minute."}
  }
}})JSON";

}  // namespace gsheets
