#include "sheets_api.hpp"

#include "api_error.hpp"
#include "request_budget.hpp"
#include "settings.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/http_client.hpp>

#include <thread>

namespace gsheets {

namespace json = boost::json;
using sluice::support::url_encode;

namespace {

// Read-only access to spreadsheets is all a sync needs.
// https://developers.google.com/workspace/sheets/api/scopes
constexpr const char* kScope = "https://www.googleapis.com/auth/spreadsheets.readonly";

// Partial responses: only the members the connector reads.
// https://developers.google.com/workspace/sheets/api/guides/field-masks
constexpr const char* kSpreadsheetFields =
    "properties(title,timeZone),sheets.properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount))";
constexpr const char* kGridFields =
    "sheets(properties.sheetId,data(startRow,rowData.values(formattedValue,effectiveValue,"
    "effectiveFormat.numberFormat.type)))";

std::string string_member(const json::object& object, const char* name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

int64_t integer_member(const json::object& object, const char* name) {
  const auto* value = object.if_contains(name);
  return value && value->is_int64() ? value->get_int64() : value && value->is_uint64() ? static_cast<int64_t>(value->get_uint64()) : 0;
}

sluice::support::HttpOptions http_options(const Settings& settings, const sluice::Logger& log,
                                         const std::function<void(sluice::support::HttpOptions&)>& adjust) {
  sluice::support::HttpOptions options = sluice::support::options_for(log);
  options.ca_file = settings.endpoint.ca_file;
  options.retry.max_attempts = settings.retry_attempts;
  options.retry.initial_backoff = settings.retry_backoff;
  options.retry.max_backoff = std::chrono::seconds(60);  // a quota refills within a minute
  if (adjust) adjust(options);
  return options;
}

// The SDK's Google flow, its key-file messages naming this connector's field.
sluice::support::GoogleServiceAccount service_account(const Settings& settings) {
  try {
    return sluice::support::google_service_account_auth(settings.service_account_json, {kScope},
                                                        settings.endpoint.token_url);
  } catch (const sluice::Error& e) {
    std::string message = e.what();
    const std::string sdk_name = "credentials_json";
    if (message.rfind(sdk_name, 0) == 0) message.replace(0, sdk_name.size(), "config.credentials.service_account_json");
    throw sluice::Error(e.kind(), message);
  }
}

// The Cloud project a key file belongs to: its project_id, else the
// project in the account's e-mail (NAME@PROJECT.iam.gserviceaccount.com),
// else the e-mail itself (a budget of its own).
// https://cloud.google.com/iam/docs/service-account-overview (the e-mail form)
std::string project_of(const std::string& key_json, const std::string& client_email) {
  json::error_code ec;
  const json::value key = json::parse(key_json, ec);
  if (!ec && key.is_object()) {
    const std::string project = string_member(key.get_object(), "project_id");
    if (!project.empty()) return project;
  }
  const std::string suffix = ".iam.gserviceaccount.com";
  const size_t at = client_email.find('@');
  if (at != std::string::npos && client_email.size() > at + 1 + suffix.size() &&
      client_email.compare(client_email.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return client_email.substr(at + 1, client_email.size() - suffix.size() - at - 1);
  }
  return client_email;
}

}  // namespace

struct SheetsApi::Impl {
  const Settings& settings;
  const sluice::Logger& log;
  sluice::support::HttpClient http;
  std::string principal, project;
  std::shared_ptr<RequestBudget> budget, project_budget;

  Impl(const Settings& s, const sluice::Logger& l, const std::function<void(sluice::support::HttpOptions&)>& adjust)
      : settings(s), log(l), http(http_options(s, l, adjust)) {
    if (!s.api_key.empty()) {
      // An API key's project is not in the key: the key is a project of
      // its own, as far as Sluice can tell.
      principal = "an API key";
      budget = RequestBudget::for_credential("key:" + s.api_key, s.requests_per_minute, principal);
      project_budget = RequestBudget::for_project("key:" + s.api_key, s.project_requests_per_minute,
                                                  "the API key's project");
    } else {
      auto account = service_account(s);
      http.set_auth(account.auth);
      principal = "service account " + account.client_email;
      project = project_of(s.service_account_json, account.client_email);
      budget = RequestBudget::for_credential("account:" + account.client_email, s.requests_per_minute, principal);
      project_budget = RequestBudget::for_project(project, s.project_requests_per_minute, "project " + project);
    }
  }

  std::string spreadsheet_url() const {
    return settings.endpoint.base_url + "/v4/spreadsheets/" + url_encode(settings.spreadsheet_id);
  }

  // The API key, when that is the credential: a query parameter (never in
  // messages: they drop the query).
  std::string key_param() const { return settings.api_key.empty() ? "" : "&key=" + url_encode(settings.api_key); }

  // The client's sleep when one is injected (tests); else sleeps in
  // steps, so a cancel is seen within 100 ms.
  void sleep(std::chrono::milliseconds wait) const {
    using namespace std::chrono;
    if (http.options().sleep) {
      if (log.cancelled()) throw sluice::Cancelled();
      http.options().sleep(wait);
      return;
    }
    const auto until = steady_clock::now() + wait;
    for (auto now = steady_clock::now(); now < until; now = steady_clock::now()) {
      if (log.cancelled()) throw sluice::Cancelled();
      std::this_thread::sleep_for(std::min<steady_clock::duration>(until - now, milliseconds(100)));
    }
  }

  // One read request: its turn in both budgets, then the call; Google's
  // refusals mapped by api_error.hpp, the SDK's other errors (token
  // endpoint, network) keeping their kind and text.
  std::string get(const std::string& url, const std::string& method, const std::string& resource) {
    const auto waited = wait_for_budgets({budget.get(), project_budget.get()}, http.options().now,
                                         [this](auto wait) { sleep(wait); });
    if (waited.wait.count() > 0) {
      const bool of_project = waited.full == project_budget.get();
      log.info("read quota: waited " + std::to_string(waited.wait.count()) + " ms for the budget of " +
               waited.full->label() + ", " + std::to_string(waited.full->per_minute()) + " requests per minute (" +
               (of_project ? "config.project_requests_per_minute" : "config.requests_per_minute") + ")");
    }
    try {
      return http.get_json_text(url);
    } catch (const sluice::support::HttpError& e) {
      const ApiError error = parse_api_error(e.status(), e.body());
      if (!error.from_api && e.status() != 404 && e.status() != 429 && e.status() < 500) throw;
      const CallContext context{method, resource, settings.spreadsheet_id, principal, !settings.api_key.empty(),
                                http.last_attempts()};
      throw to_error(error, context);
    }
  }

  json::object get_object(const std::string& url, const std::string& method, const std::string& resource) {
    json::error_code ec;
    json::value answer = json::parse(get(url, method, resource), ec);
    if (ec || !answer.is_object()) {
      throw sluice::Error(sluice::ErrorKind::source, method + " of " + resource + ": the answer is not a JSON object");
    }
    return std::move(answer.as_object());
  }
};

SheetsApi::SheetsApi(const Settings& settings, const sluice::Logger& log,
                     const std::function<void(sluice::support::HttpOptions&)>& adjust)
    : impl_(std::make_unique<Impl>(settings, log, adjust)) {}
SheetsApi::~SheetsApi() = default;

const std::string& SheetsApi::principal() const { return impl_->principal; }
const std::string& SheetsApi::project() const { return impl_->project; }

SpreadsheetInfo SheetsApi::spreadsheet() {
  const json::object answer =
      impl_->get_object(impl_->spreadsheet_url() + "?fields=" + url_encode(kSpreadsheetFields) + impl_->key_param(),
                        "spreadsheets.get", "spreadsheet " + impl_->settings.spreadsheet_id);
  SpreadsheetInfo info;
  if (const auto* properties = answer.if_contains("properties"); properties && properties->is_object()) {
    info.title = string_member(properties->get_object(), "title");
    info.time_zone = string_member(properties->get_object(), "timeZone");
  }
  const auto* sheets = answer.if_contains("sheets");
  if (!sheets || !sheets->is_array()) return info;
  for (const auto& sheet : sheets->get_array()) {
    const auto* object = sheet.if_object();
    const auto* properties = object ? object->if_contains("properties") : nullptr;
    if (!properties || !properties->is_object()) continue;
    const auto& p = properties->get_object();
    SheetInfo entry;
    entry.sheet_id = integer_member(p, "sheetId");
    entry.title = string_member(p, "title");
    entry.index = integer_member(p, "index");
    entry.type = string_member(p, "sheetType");
    if (entry.type.empty()) entry.type = "GRID";  // the default, omitted by some answers
    if (const auto* grid = p.if_contains("gridProperties"); grid && grid->is_object()) {
      entry.row_count = integer_member(grid->get_object(), "rowCount");
      entry.column_count = integer_member(grid->get_object(), "columnCount");
    }
    info.sheets.push_back(std::move(entry));
  }
  return info;
}

json::object SheetsApi::grid_data(const std::vector<std::string>& ranges) {
  std::string url = impl_->spreadsheet_url() + "?includeGridData=true&fields=" + url_encode(kGridFields);
  for (const auto& range : ranges) url += "&ranges=" + url_encode(range);
  url += impl_->key_param();
  return impl_->get_object(url, "spreadsheets.get",
                           "spreadsheet " + impl_->settings.spreadsheet_id + " (header rows and type samples)");
}

std::string SheetsApi::values(const std::string& range, const std::string& resource) {
  return impl_->get(impl_->spreadsheet_url() + "/values:batchGet?ranges=" + url_encode(range) +
                        "&majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER" +
                        impl_->key_param(),
                    "values.batchGet", resource);
}

}  // namespace gsheets
