#include "settings.hpp"

namespace gsheets {

namespace {

// IDs are URL-safe base64 letters; Google's own are 44 long, older ones shorter.
bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool is_id(std::string_view text) {
  if (text.size() < 10 || text.size() > 200) return false;
  for (char c : text) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

}  // namespace

std::string spreadsheet_id_from(const std::string& text) {
  if (is_id(text)) return text;
  // https://docs.google.com/spreadsheets/d/ID/edit, also .../spreadsheets/u/1/d/ID/...
  const size_t sheets = text.find("/spreadsheets/");
  const size_t at = sheets == std::string::npos ? sheets : text.find("/d/", sheets + 13);
  if (at != std::string::npos && (text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0)) {
    const size_t start = at + 3;
    size_t end = start;
    while (end < text.size() && is_id_char(text[end])) ++end;
    if (end == text.size() || text[end] == '/' || text[end] == '?' || text[end] == '#') {
      const std::string id = text.substr(start, end - start);
      if (is_id(id)) return id;
    }
  }
  throw sluice::Error(sluice::ErrorKind::config,
                      "config.spreadsheet: neither a spreadsheet ID nor a URL "
                      "https://docs.google.com/spreadsheets/d/ID/...: " + text.substr(0, 200));
}

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  settings.spreadsheet_id = spreadsheet_id_from(config.string("spreadsheet"));
  const sluice::Config credentials = config.object("credentials");
  if (credentials.string("auth_type") == "api_key") {
    settings.api_key = credentials.string("api_key");
  } else {
    settings.service_account_json = credentials.string("service_account_json");
  }
  settings.header_row = config.optional_integer("header_row").value_or(1);
  settings.names = config.optional_string("column_names").value_or("header") == "snake_case" ? NameRule::snake_case
                                                                                            : NameRule::header;
  settings.rows_per_request = config.optional_integer("rows_per_request").value_or(10000);
  settings.sample_rows = config.optional_integer("sample_rows").value_or(200);
  settings.requests_per_minute = config.optional_integer("requests_per_minute").value_or(60);
  settings.project_requests_per_minute = config.optional_integer("project_requests_per_minute").value_or(300);
  settings.retry_attempts = static_cast<int>(config.optional_integer("retry_attempts").value_or(6));
  settings.retry_backoff = std::chrono::milliseconds(config.optional_integer("retry_backoff_ms").value_or(2000));
  if (config.has("column_types")) {
    const auto& list = config.json().at("column_types");
    if (!list.is_array()) {
      throw sluice::Error(sluice::ErrorKind::config, config.path("column_types") + ": expected an array");
    }
    for (size_t i = 0; i < list.get_array().size(); ++i) {
      const auto* entry = list.get_array()[i].if_object();
      if (!entry) {
        throw sluice::Error(sluice::ErrorKind::config,
                            config.path("column_types") + "[" + std::to_string(i) + "]: expected an object");
      }
      const sluice::Config item(*entry, config.path("column_types") + "[" + std::to_string(i) + "]");
      const std::string type = item.string("type");
      const auto parsed = parse_column_type(type);
      if (!parsed) throw sluice::Error(sluice::ErrorKind::config, item.path("type") + ": unknown type " + type);
      settings.overrides.push_back({item.string("sheet"), item.string("column"), *parsed});
    }
  }
  settings.endpoint = sluice::support::endpoint_from_config(config.json(), kDefaultBaseUrl);
  return settings;
}

}  // namespace gsheets
