#include "fake_sheets.hpp"

#include "fake_a1.hpp"
#include "fields_mask.hpp"

#include <charconv>
#include <cmath>

namespace gsheets_fake {

namespace {


// Google's error shape, {"error": {"code", "message", "status"}}.
// https://cloud.google.com/apis/design/errors#http_mapping
FakeResponse google_error(int code, const std::string& status, const std::string& message, json::array details = {}) {
  json::object error{{"code", code}, {"message", message}, {"status", status}};
  if (!details.empty()) error["details"] = std::move(details);
  return FakeResponse::json(code, json::object{{"error", std::move(error)}});
}

// A 429 as the usage-limits page describes it (per-minute quotas, refilled
// every minute): https://developers.google.com/workspace/sheets/api/limits
FakeResponse quota_exceeded(const std::string& limit_text, const std::string& limit_name) {
  json::array details{json::object{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                   {"reason", "RATE_LIMIT_EXCEEDED"},
                                   {"domain", "googleapis.com"},
                                   {"metadata", {{"quota_metric", "sheets.googleapis.com/read_requests"},
                                                 {"quota_limit", limit_name},
                                                 {"service", "sheets.googleapis.com"},
                                                 {"consumer", "projects/123456789"}}}}};
  return google_error(429, "RESOURCE_EXHAUSTED",
                      "Quota exceeded for quota metric 'Read requests' and limit '" + limit_text +
                          "' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'.",
                      std::move(details));
}

std::string shortest(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

std::string display(const Cell& cell) {
  if (!cell.formatted.empty()) return cell.formatted;
  switch (cell.kind) {
    case Cell::Kind::number: return shortest(cell.number);
    case Cell::Kind::boolean: return cell.boolean ? "TRUE" : "FALSE";
    case Cell::Kind::string:
    case Cell::Kind::error: return cell.text;
    case Cell::Kind::empty: break;
  }
  return "";
}

// Whole numbers as JSON integers (1, not 1.0), as Google writes them.
json::value number_json(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 9e15) return json::value(static_cast<int64_t>(value));
  return json::value(value);
}

bool is_date_format(const std::string& format) { return format == "DATE" || format == "TIME" || format == "DATE_TIME"; }

// A cell as values.get renders it.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueRenderOption
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/DateTimeRenderOption
json::value render(const Cell& cell, bool formatted, bool serial) {
  if (formatted) return json::value(display(cell));
  switch (cell.kind) {
    case Cell::Kind::number:
      if (is_date_format(cell.format) && !serial) return json::value(display(cell));
      return number_json(cell.number);
    case Cell::Kind::boolean: return json::value(cell.boolean);
    case Cell::Kind::string:
    case Cell::Kind::error: return json::value(cell.text);
    case Cell::Kind::empty: break;
  }
  return json::value("");
}

// CellData: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
json::object cell_data(const Cell& cell) {
  if (cell.kind == Cell::Kind::empty) return {};
  json::object value;
  switch (cell.kind) {
    case Cell::Kind::number: value["numberValue"] = number_json(cell.number); break;
    case Cell::Kind::string: value["stringValue"] = cell.text; break;
    case Cell::Kind::boolean: value["boolValue"] = cell.boolean; break;
    case Cell::Kind::error: value["errorValue"] = json::object{{"type", "N_A"}, {"message", cell.text}}; break;
    case Cell::Kind::empty: break;
  }
  json::object data{{"effectiveValue", std::move(value)}, {"formattedValue", display(cell)}};
  if (!cell.format.empty()) data["effectiveFormat"] = json::object{{"numberFormat", {{"type", cell.format}}}};
  return data;
}

const Cell& cell_at(const Sheet& sheet, int64_t row, int64_t column) {
  static const Cell kEmpty;
  if (row < 1 || static_cast<size_t>(row) > sheet.rows.size()) return kEmpty;
  const auto& cells = sheet.rows[static_cast<size_t>(row - 1)];
  if (column < 1 || static_cast<size_t>(column) > cells.size()) return kEmpty;
  return cells[static_cast<size_t>(column - 1)];
}

struct Bounds {
  const Sheet* sheet = nullptr;
  int64_t r1 = 1, r2 = 0, c1 = 1, c2 = 0;
  std::string echo() const {
    return echo_title(sheet->title) + "!" + column_name(c1) + std::to_string(r1) + ":" + column_name(c2) + std::to_string(r2);
  }
};

bool sheet_named(const std::string& title, const void* context) {
  for (const auto& sheet : static_cast<const Spreadsheet*>(context)->sheets) {
    if (sheet.title == title) return true;
  }
  return false;
}

// The cells a range covers, clipped to the sheet's grid; nullopt with the
// 400 Google gives for a range it cannot parse or a sheet it does not have.
std::optional<Bounds> resolve(const Spreadsheet& spreadsheet, const std::string& text, FakeResponse& refusal) {
  const auto range = parse_a1(text, sheet_named, &spreadsheet);
  const Sheet* sheet = nullptr;
  if (range) {
    for (const auto& s : spreadsheet.sheets) {
      if (range->sheet.empty() ? s.type == "GRID" : s.title == range->sheet) {
        sheet = &s;
        break;
      }
    }
  }
  if (!range || !sheet) {
    refusal = google_error(400, "INVALID_ARGUMENT", "Unable to parse range: " + text);
    return std::nullopt;
  }
  Bounds b{sheet};
  b.r1 = range->first_row ? range->first_row : 1;
  b.r2 = std::min(range->last_row ? range->last_row : sheet->row_count, sheet->row_count);
  b.c1 = range->first_column ? range->first_column : 1;
  b.c2 = std::min(range->last_column ? range->last_column : sheet->column_count, sheet->column_count);
  if (range->whole_sheet) b = Bounds{sheet, 1, sheet->row_count, 1, sheet->column_count};
  return b;
}

}  // namespace

Cell empty() { return {}; }
Cell text(std::string value) { return {Cell::Kind::string, 0, std::move(value), false, "", ""}; }
Cell number(double value, std::string format, std::string formatted) {
  return {Cell::Kind::number, value, "", false, std::move(format), std::move(formatted)};
}
Cell boolean(bool value) { return {Cell::Kind::boolean, 0, "", value, "", ""}; }
Cell error_cell(std::string display_text) { return {Cell::Kind::error, 0, std::move(display_text), false, "", ""}; }

// Scopes that allow reading spreadsheets.
// https://developers.google.com/workspace/sheets/api/scopes
FakeSheets::FakeSheets(std::string client_email, std::string public_key_pem, std::string api_key)
    : api_key_(std::move(api_key)),
      tokens_({"https://www.googleapis.com/auth/spreadsheets.readonly", "https://www.googleapis.com/auth/spreadsheets",
               "https://www.googleapis.com/auth/drive.readonly", "https://www.googleapis.com/auth/drive"},
              "ya29.fake-sheets-") {
  tokens_.add_account(std::move(client_email), std::move(public_key_pem));
}

void FakeSheets::add_service_account(std::string client_email, std::string public_key_pem) {
  std::lock_guard lock(mutex_);
  tokens_.add_account(std::move(client_email), std::move(public_key_pem));
}

void FakeSheets::set_token_url(std::string url) {
  std::lock_guard lock(mutex_);
  tokens_.set_token_url(std::move(url));
}

void FakeSheets::add(Spreadsheet spreadsheet) {
  std::lock_guard lock(mutex_);
  const std::string id = spreadsheet.id;
  spreadsheets_[id] = std::move(spreadsheet);
}

void FakeSheets::edit(const std::string& id, const std::function<void(Spreadsheet&)>& edit) {
  std::lock_guard lock(mutex_);
  edit(spreadsheets_.at(id));
}

void FakeSheets::set_quota(int per_user, int per_project) {
  std::lock_guard lock(mutex_);
  per_user_ = per_user;
  per_project_ = per_project;
}

void FakeSheets::set_clock(std::function<std::chrono::system_clock::time_point()> now) {
  std::lock_guard lock(mutex_);
  now_ = std::move(now);
}

void FakeSheets::inject_failures(int status, int count) {
  std::lock_guard lock(mutex_);
  injected_status_ = status;
  injected_left_ = count;
}

int FakeSheets::read_requests() const {
  std::lock_guard lock(mutex_);
  return read_requests_;
}

int FakeSheets::refused_for_quota() const {
  std::lock_guard lock(mutex_);
  return refused_for_quota_;
}

int FakeSheets::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return tokens_.issued();
}

FakeResponse FakeSheets::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  return route(request);
}

FakeResponse FakeSheets::route(const FakeRequest& request) {
  if (request.method == "POST" && request.path == "/token") return tokens_.exchange(request);
  const std::string root = "/v4/spreadsheets/";
  if (request.method != "GET" || request.path.rfind(root, 0) != 0) {
    return google_error(404, "NOT_FOUND", "Method not found.");
  }
  const std::string rest = request.path.substr(root.size());
  const size_t slash = rest.find('/');
  const std::string id = rest.substr(0, slash);
  std::string user;
  static const Spreadsheet kNone;
  auto found = spreadsheets_.find(id);
  if (auto refused = authorize(request, found == spreadsheets_.end() ? kNone : found->second, user)) return *refused;
  if (found == spreadsheets_.end()) return google_error(404, "NOT_FOUND", "Requested entity was not found.");
  if (auto refused = take_quota(user)) return *refused;
  FakeResponse answer;
  const std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
  if (tail.empty()) {
    answer = get_spreadsheet(request, found->second);
  } else if (tail == "/values:batchGet") {
    std::vector<std::string> ranges;
    for (auto [it, end] = request.query_params.equal_range("ranges"); it != end; ++it) ranges.push_back(it->second);
    answer = batch_get(request, found->second, std::move(ranges), false);
  } else if (tail.rfind("/values/", 0) == 0) {
    answer = batch_get(request, found->second, {tail.substr(8)}, true);
  } else {
    answer = google_error(404, "NOT_FOUND", "Method not found.");
  }
  if (answer.status == 200) ++read_requests_;
  return answer;
}

// A service account reads what is shared with its e-mail; an API key reads
// public spreadsheets only ("API keys ... access publicly-available data").
// https://developers.google.com/workspace/guides/create-credentials#api-key
std::optional<FakeResponse> FakeSheets::authorize(const FakeRequest& request, const Spreadsheet& spreadsheet,
                                                  std::string& user) {
  const std::string bearer = request.header("Authorization");
  if (request.has_query("key")) {
    if (request.query("key") != api_key_) {
      json::array details{json::object{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                       {"reason", "API_KEY_INVALID"},
                                       {"domain", "googleapis.com"}}};
      return google_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", std::move(details));
    }
    user = "key";
    if (!spreadsheet.id.empty() && !spreadsheet.public_link) {
      return google_error(403, "PERMISSION_DENIED", "The caller does not have permission");
    }
    return std::nullopt;
  }
  if (bearer.rfind("Bearer ", 0) == 0) {
    const auto account = tokens_.account_of(bearer.substr(7));
    if (!account) {
      return google_error(401, "UNAUTHENTICATED",
                          "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                          "cookie or other valid authentication credential.");
    }
    user = *account;
    if (!spreadsheet.id.empty() && !spreadsheet.shared_with.contains(user)) {
      return google_error(403, "PERMISSION_DENIED", "The caller does not have permission");
    }
    return std::nullopt;
  }
  return google_error(403, "PERMISSION_DENIED", "The request is missing a valid API key.");
}

// Read requests per minute per user and per project; the minute is the
// clock's, so a test that stops the clock never gets its quota back.
// https://developers.google.com/workspace/sheets/api/limits
std::optional<FakeResponse> FakeSheets::take_quota(const std::string& user) {
  if (injected_left_ > 0) {
    --injected_left_;
    if (injected_status_ == 429) {
      ++refused_for_quota_;
      return quota_exceeded("Read requests per minute per user", "ReadRequestsPerMinutePerUser");
    }
    return google_error(injected_status_, "UNAVAILABLE", "The service is currently unavailable.");
  }
  const int64_t minute =
      std::chrono::duration_cast<std::chrono::minutes>(now_().time_since_epoch()).count();
  if (minute != minute_) {
    minute_ = minute;
    used_by_user_.clear();
    used_by_project_ = 0;
  }
  if (used_by_user_[user] >= per_user_) {
    ++refused_for_quota_;
    return quota_exceeded("Read requests per minute per user", "ReadRequestsPerMinutePerUser");
  }
  if (used_by_project_ >= per_project_) {
    ++refused_for_quota_;
    return quota_exceeded("Read requests per minute", "ReadRequestsPerMinutePerProject");
  }
  ++used_by_user_[user];
  ++used_by_project_;
  return std::nullopt;
}

// spreadsheets.get: the Spreadsheet resource; with includeGridData the
// cells of `ranges` (only the sheets they touch), then the `fields` mask.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/get
FakeResponse FakeSheets::get_spreadsheet(const FakeRequest& request, const Spreadsheet& spreadsheet) {
  std::vector<std::string> ranges;
  for (auto [it, end] = request.query_params.equal_range("ranges"); it != end; ++it) ranges.push_back(it->second);
  const bool grid = request.query("includeGridData") == "true";
  std::map<int64_t, json::array> data;  // sheetId -> GridData of its ranges
  for (const auto& text : ranges) {
    FakeResponse refusal;
    const auto bounds = resolve(spreadsheet, text, refusal);
    if (!bounds) return refusal;
    json::array row_data;
    size_t kept = 0;
    for (int64_t r = bounds->r1; r <= bounds->r2; ++r) {
      json::array values;
      size_t width = 0;
      for (int64_t c = bounds->c1; c <= bounds->c2; ++c) {
        values.push_back(cell_data(cell_at(*bounds->sheet, r, c)));
        if (!values.back().as_object().empty()) width = values.size();
      }
      values.resize(width);
      row_data.push_back(width ? json::object{{"values", std::move(values)}} : json::object{});
      if (width) kept = row_data.size();
    }
    row_data.resize(kept);
    json::object grid_data;
    if (bounds->r1 > 1) grid_data["startRow"] = bounds->r1 - 1;
    if (bounds->c1 > 1) grid_data["startColumn"] = bounds->c1 - 1;
    grid_data["rowData"] = std::move(row_data);
    data[bounds->sheet->sheet_id].push_back(std::move(grid_data));
  }
  json::array sheets;
  for (size_t i = 0; i < spreadsheet.sheets.size(); ++i) {
    const Sheet& sheet = spreadsheet.sheets[i];
    if (!ranges.empty() && !data.contains(sheet.sheet_id)) continue;
    json::object properties{{"sheetId", sheet.sheet_id}, {"title", sheet.title}, {"index", static_cast<int64_t>(i)},
                            {"sheetType", sheet.type}};
    if (sheet.type == "GRID") {
      properties["gridProperties"] = json::object{{"rowCount", sheet.row_count}, {"columnCount", sheet.column_count}};
    }
    json::object entry{{"properties", std::move(properties)}};
    if (grid && data.contains(sheet.sheet_id)) entry["data"] = data[sheet.sheet_id];
    sheets.push_back(std::move(entry));
  }
  json::value answer = json::object{
      {"spreadsheetId", spreadsheet.id},
      {"properties", {{"title", spreadsheet.title}, {"locale", "en_US"}, {"autoRecalc", "ON_CHANGE"}, {"timeZone", spreadsheet.time_zone}}},
      {"sheets", std::move(sheets)},
      {"spreadsheetUrl", "https://docs.google.com/spreadsheets/d/" + spreadsheet.id + "/edit"}};
  if (request.has_query("fields")) {
    const auto mask = parse_field_mask(request.query("fields"));
    if (!mask) return google_error(400, "INVALID_ARGUMENT", "Invalid field selection " + request.query("fields"));
    answer = apply_field_mask(answer, *mask);
  }
  return FakeResponse::json(200, answer);
}

// values.batchGet (and values.get, `single`): one ValueRange per range, in
// request order; trailing empty cells and rows left out, `values` omitted
// for an empty range.
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
FakeResponse FakeSheets::batch_get(const FakeRequest& request, const Spreadsheet& spreadsheet,
                                   std::vector<std::string> ranges, bool single) {
  const std::string render_option = request.query("valueRenderOption", "FORMATTED_VALUE");
  const std::string date_option = request.query("dateTimeRenderOption", "SERIAL_NUMBER");
  const std::string major = request.query("majorDimension", "ROWS");
  if (render_option != "FORMATTED_VALUE" && render_option != "UNFORMATTED_VALUE" && render_option != "FORMULA") {
    return google_error(400, "INVALID_ARGUMENT", "Invalid value at 'value_render_option' (" + render_option + ")");
  }
  if (date_option != "SERIAL_NUMBER" && date_option != "FORMATTED_STRING") {
    return google_error(400, "INVALID_ARGUMENT", "Invalid value at 'date_time_render_option' (" + date_option + ")");
  }
  if (major != "ROWS" && major != "COLUMNS") {
    return google_error(400, "INVALID_ARGUMENT", "Invalid value at 'major_dimension' (" + major + ")");
  }
  const bool formatted = render_option == "FORMATTED_VALUE", serial = date_option == "SERIAL_NUMBER";
  json::array value_ranges;
  for (const auto& text : ranges) {
    FakeResponse refusal;
    const auto bounds = resolve(spreadsheet, text, refusal);
    if (!bounds) return refusal;
    const bool by_rows = major == "ROWS";
    const int64_t outer_first = by_rows ? bounds->r1 : bounds->c1, outer_last = by_rows ? bounds->r2 : bounds->c2;
    const int64_t inner_first = by_rows ? bounds->c1 : bounds->r1, inner_last = by_rows ? bounds->c2 : bounds->r2;
    json::array values;
    size_t kept_rows = 0;
    for (int64_t o = outer_first; o <= outer_last; ++o) {
      json::array line;
      size_t width = 0;
      for (int64_t i = inner_first; i <= inner_last; ++i) {
        const Cell& cell = by_rows ? cell_at(*bounds->sheet, o, i) : cell_at(*bounds->sheet, i, o);
        line.push_back(render(cell, formatted, serial));
        if (cell.kind != Cell::Kind::empty) width = line.size();
      }
      line.resize(width);
      values.push_back(std::move(line));
      if (width) kept_rows = values.size();
    }
    values.resize(kept_rows);
    json::object value_range{{"range", bounds->echo()}, {"majorDimension", major}};
    if (!values.empty()) value_range["values"] = std::move(values);
    value_ranges.push_back(std::move(value_range));
  }
  if (single) return FakeResponse::json(200, value_ranges.at(0));
  return FakeResponse::json(200, json::object{{"spreadsheetId", spreadsheet.id}, {"valueRanges", std::move(value_ranges)}});
}

}  // namespace gsheets_fake
