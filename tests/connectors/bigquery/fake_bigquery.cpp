#include "fake_bigquery.hpp"

#include <algorithm>
#include <cstdio>

namespace bigquery_fake {

namespace {

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  const size_t query = path.find('?');
  path = path.substr(0, query);
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.emplace_back(path.substr(0, slash));  // the test kit decoded the path
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

const char* status_text(int status) {
  switch (status) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 409: return "ALREADY_EXISTS";
    case 499: return "CANCELLED";
    case 429: return "RESOURCE_EXHAUSTED";
    default: return status >= 500 ? "INTERNAL" : "UNKNOWN";
  }
}

}  // namespace

FakeResponse google_error(int status, const std::string& reason, const std::string& message) {
  json::object error{{"message", message}, {"domain", "global"}, {"reason", reason}};
  if (status == 401) {
    error["location"] = "Authorization";
    error["locationType"] = "header";
  }
  return FakeResponse::json(status, json::object{{"error", {{"code", status},
                                                            {"message", message},
                                                            {"errors", json::array{error}},
                                                            {"status", status_text(status)}}}});
}

FakeBigQuery::FakeBigQuery(std::string project, std::string client_email, std::string public_key_pem)
    : project_(std::move(project)),
      // Scopes that grant BigQuery reads.
      // https://developers.google.com/identity/protocols/oauth2/scopes#bigquery
      tokens_({"https://www.googleapis.com/auth/bigquery", "https://www.googleapis.com/auth/cloud-platform"}) {
  tokens_.add_account(std::move(client_email), std::move(public_key_pem));
}

void FakeBigQuery::add_table(const std::string& dataset, const std::string& table_id, FakeTable table) {
  std::lock_guard lock(mutex_);
  auto stored = std::make_shared<StoredTable>();
  stored->wire.reserve(table.rows.size());
  for (const auto& row : table.rows) stored->wire.push_back(json::serialize(row));
  stored->column_bytes.assign(table.fields.size(), 0);
  for (const auto& row : table.rows) {
    const auto& cells = row.at("f").as_array();
    for (size_t i = 0; i < table.fields.size() && i < cells.size(); ++i) {
      stored->column_bytes[i] += data_size(table.fields[i].as_object(), cells[i].at("v"));
    }
  }
  stored->table = std::move(table);
  datasets_[dataset][table_id] = std::move(stored);
}

void FakeBigQuery::add_generated_table(const std::string& dataset, const std::string& table_id, json::array fields,
                                       size_t rows, std::function<std::string(size_t)> wire_row, int64_t row_bytes) {
  std::lock_guard lock(mutex_);
  auto stored = std::make_shared<StoredTable>();
  const auto columns = static_cast<int64_t>(std::max<size_t>(fields.size(), 1));
  stored->column_bytes.assign(fields.size(), row_bytes * static_cast<int64_t>(rows) / columns);
  stored->table.fields = std::move(fields);
  stored->generated_rows = rows;
  stored->generate = std::move(wire_row);
  datasets_[dataset][table_id] = std::move(stored);
}

void FakeBigQuery::set_table_bytes(const std::string& dataset, const std::string& table_id, int64_t bytes) {
  std::lock_guard lock(mutex_);
  table_bytes_[{dataset, table_id}] = bytes;
}

void FakeBigQuery::set_job_duration(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  job_duration_ = duration;
}

void FakeBigQuery::hang_job_inserts(bool hang) {
  std::lock_guard lock(mutex_);
  hang_job_inserts_ = hang;
}

void FakeBigQuery::answer_next_from_cache() {
  std::lock_guard lock(mutex_);
  next_from_cache_ = true;
}

void FakeBigQuery::set_over_cap_failure(int status, int running_polls) {
  std::lock_guard lock(mutex_);
  over_cap_status_ = status;
  over_cap_running_polls_ = running_polls;
}

std::vector<json::object> FakeBigQuery::inserted_jobs() const {
  std::lock_guard lock(mutex_);
  return inserted_jobs_;
}

void FakeBigQuery::add_dataset(const std::string& dataset) {
  std::lock_guard lock(mutex_);
  datasets_[dataset];
}

void FakeBigQuery::set_token_url(std::string url) {
  std::lock_guard lock(mutex_);
  tokens_.set_token_url(std::move(url));
}

void FakeBigQuery::set_page_rows(size_t rows) {
  std::lock_guard lock(mutex_);
  page_rows_ = rows;
}

void FakeBigQuery::set_page_bytes(size_t query_bytes, size_t results_bytes) {
  std::lock_guard lock(mutex_);
  query_page_bytes_ = query_bytes;
  results_page_bytes_ = results_bytes;
}

void FakeBigQuery::fail_results_at(size_t start, bool fail) {
  std::lock_guard lock(mutex_);
  if (fail) failing_starts_.insert(start);
  else failing_starts_.erase(start);
}

void FakeBigQuery::answer_results_after(size_t start, size_t others) {
  std::lock_guard lock(mutex_);
  held_starts_[start] = answered_pages_.size() + others;
}

void FakeBigQuery::end_results_at(size_t end) {
  std::lock_guard lock(mutex_);
  results_end_ = end;
}

void FakeBigQuery::hang_results_at(size_t start, bool hang) {
  std::lock_guard lock(mutex_);
  if (hang) hanging_starts_.insert(start);
  else hanging_starts_.erase(start);
}

std::vector<size_t> FakeBigQuery::answered_pages() const {
  std::lock_guard lock(mutex_);
  return answered_pages_;
}

void FakeBigQuery::set_list_page_size(size_t items) {
  std::lock_guard lock(mutex_);
  list_page_size_ = items;
}

void FakeBigQuery::set_not_ready_polls(int polls) {
  std::lock_guard lock(mutex_);
  not_ready_polls_ = polls;
}

void FakeBigQuery::deny_permission(const std::string& permission) {
  std::lock_guard lock(mutex_);
  denied_permissions_.insert(permission);
}

void FakeBigQuery::revoke_tokens() {
  std::lock_guard lock(mutex_);
  tokens_.revoke_all();
}

void FakeBigQuery::expire_tokens_at_result_call(int call) {
  std::lock_guard lock(mutex_);
  expire_tokens_at_ = call;
  result_requests_ = 0;
}

void FakeBigQuery::set_tokens_accepted(bool accepted) {
  std::lock_guard lock(mutex_);
  tokens_accepted_ = accepted;
}

void FakeBigQuery::add_phantom_table(const std::string& dataset, const std::string& table_id) {
  std::lock_guard lock(mutex_);
  phantom_tables_.insert({dataset, table_id});
  datasets_[dataset];
}

void FakeBigQuery::fail_results_after(int calls) {
  std::lock_guard lock(mutex_);
  fail_results_after_ = calls;
  result_calls_ = 0;
}

void FakeBigQuery::repeat_page_tokens(bool repeat) {
  std::lock_guard lock(mutex_);
  repeat_page_tokens_ = repeat;
}

void FakeBigQuery::inject_errors(std::vector<InjectedError> errors) {
  std::lock_guard lock(mutex_);
  injected_ = std::move(errors);
}

size_t FakeBigQuery::injected_errors_left() const {
  std::lock_guard lock(mutex_);
  return injected_.size();
}

std::vector<json::object> FakeBigQuery::query_requests() const {
  std::lock_guard lock(mutex_);
  return query_requests_;
}

int FakeBigQuery::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return tokens_.issued();
}

int FakeBigQuery::result_calls() const {
  std::lock_guard lock(mutex_);
  return result_calls_;
}

bool FakeBigQuery::wait_for_result_calls(int calls, std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return result_called_.wait_for(lock, limit, [&] { return result_calls_ >= calls; });
}

std::vector<std::string> FakeBigQuery::cancelled_jobs() const {
  std::lock_guard lock(mutex_);
  return cancelled_jobs_;
}

FakeResponse FakeBigQuery::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  const auto segments = path_segments(request.path);
  if (request.method == "POST" && segments == std::vector<std::string>{"token"}) return tokens_.exchange(request);
  for (auto rule = injected_.begin(); rule != injected_.end(); ++rule) {
    if (request.path.find(rule->path_contains) == std::string::npos) continue;
    FakeResponse injected = google_error(rule->status, rule->reason, "Injected " + rule->reason + " for " + request.path);
    injected_.erase(rule);
    return injected;
  }
  if (segments.size() >= 4 && segments[0] == "bigquery" && segments[1] == "v2" && segments[2] == "projects") {
    return api(request, segments);
  }
  return google_error(404, "notFound", "Not found: URL " + request.path);
}

std::optional<FakeResponse> FakeBigQuery::denied(const std::string& permission, const std::string& message) {
  if (!denied_permissions_.contains(permission)) return std::nullopt;
  return google_error(403, "accessDenied", message);
}

FakeResponse FakeBigQuery::api(const FakeRequest& request, const std::vector<std::string>& segments) {
  if (request.method == "GET" && segments.size() == 6 && segments[4] == "queries" &&
      ++result_requests_ == expire_tokens_at_) {
    tokens_.revoke_all();
  }
  const std::string authorization = request.header("Authorization");
  if (authorization.rfind("Bearer ", 0) != 0 || !tokens_.accepts(authorization.substr(7)) || !tokens_accepted_) {
    return google_error(401, "authError",
                        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                        "or other valid authentication credential.");
  }
  const std::string& project = segments[3];
  if (project != project_) return google_error(404, "notFound", "Not found: Project " + project);
  const size_t n = segments.size();
  if (request.method == "GET" && n == 5 && segments[4] == "datasets") return list_datasets(request);
  if (request.method == "GET" && n == 7 && segments[4] == "datasets" && segments[6] == "tables") {
    return list_tables(request, segments[5]);
  }
  if (request.method == "GET" && n == 8 && segments[4] == "datasets" && segments[6] == "tables") {
    return get_table(segments[5], segments[7]);
  }
  if (request.method == "POST" && n == 5 && segments[4] == "queries") return query(request);
  if (request.method == "GET" && n == 6 && segments[4] == "queries") return query_results(request, segments[5]);
  if (request.method == "POST" && n == 5 && segments[4] == "jobs") return insert_job(request);
  if (request.method == "GET" && n == 6 && segments[4] == "jobs") return get_job(request, segments[5]);
  if (request.method == "POST" && n == 7 && segments[4] == "jobs" && segments[6] == "cancel") {
    return cancel_job(request, segments[5]);
  }
  return google_error(404, "notFound", "Not found: URL " + request.path);
}

FakeResponse FakeBigQuery::list_datasets(const FakeRequest& request) {
  const size_t start = number_or(request.query("pageToken"), 0);
  const size_t count = std::min(number_or(request.query("maxResults"), list_page_size_), list_page_size_);
  json::array datasets;
  size_t index = 0;
  for (const auto& [id, tables] : datasets_) {
    if (index++ < start || datasets.size() >= count) continue;
    datasets.push_back(json::object{{"kind", "bigquery#dataset"},
                                    {"id", project_ + ":" + id},
                                    {"datasetReference", {{"projectId", project_}, {"datasetId", id}}},
                                    {"location", "US"}});
  }
  json::object body{{"kind", "bigquery#datasetList"}, {"etag", "fake-etag"}, {"datasets", std::move(datasets)}};
  if (start + count < datasets_.size()) body["nextPageToken"] = std::to_string(start + count);
  if (repeat_page_tokens_ && start > 0) body["nextPageToken"] = request.query("pageToken");
  return FakeResponse::json(200, body);
}

FakeResponse FakeBigQuery::list_tables(const FakeRequest& request, const std::string& dataset) {
  auto found = datasets_.find(dataset);
  if (found == datasets_.end()) return google_error(404, "notFound", "Not found: Dataset " + project_ + ":" + dataset);
  if (auto refusal = denied("bigquery.tables.list", "Access Denied: Dataset " + project_ + ":" + dataset +
                                                       ": Permission bigquery.tables.list denied on dataset " +
                                                       project_ + ":" + dataset + " (or it may not exist).")) {
    return *refusal;
  }
  const size_t start = number_or(request.query("pageToken"), 0);
  const size_t count = std::min(number_or(request.query("maxResults"), list_page_size_), list_page_size_);
  json::array tables;
  size_t index = 0;
  std::map<std::string, std::string> listed;  // id -> type
  for (const auto& [id, table] : found->second) listed[id] = table->table.type;
  for (const auto& [phantom_dataset, id] : phantom_tables_) {
    if (phantom_dataset == dataset) listed[id] = "TABLE";
  }
  for (const auto& [id, type] : listed) {
    if (index++ < start || tables.size() >= count) continue;
    tables.push_back(json::object{
        {"kind", "bigquery#table"},
        {"id", project_ + ":" + dataset + "." + id},
        {"tableReference", {{"projectId", project_}, {"datasetId", dataset}, {"tableId", id}}},
        {"type", type},
        {"creationTime", "1714550000000"}});
  }
  json::object body{{"kind", "bigquery#tableList"},
                    {"etag", "fake-etag"},
                    {"tables", std::move(tables)},
                    {"totalItems", listed.size()}};
  if (start + count < listed.size()) body["nextPageToken"] = std::to_string(start + count);
  if (repeat_page_tokens_ && start > 0) body["nextPageToken"] = request.query("pageToken");
  return FakeResponse::json(200, body);
}

FakeResponse FakeBigQuery::get_table(const std::string& dataset, const std::string& table_id) {
  auto found = datasets_.find(dataset);
  if (found == datasets_.end()) return google_error(404, "notFound", "Not found: Dataset " + project_ + ":" + dataset);
  auto stored = found->second.find(table_id);
  const std::string full = project_ + ":" + dataset + "." + table_id;
  if (stored == found->second.end()) return google_error(404, "notFound", "Not found: Table " + full);
  const FakeTable& table = stored->second->table;
  if (auto refusal = denied("bigquery.tables.get", "Access Denied: Table " + full +
                                                      ": Permission bigquery.tables.get denied on table " + full +
                                                      " (or it may not exist).")) {
    return *refusal;
  }
  json::object body{{"kind", "bigquery#table"},
                    {"etag", "fake-etag"},
                    {"id", full},
                    {"tableReference", {{"projectId", project_}, {"datasetId", dataset}, {"tableId", table_id}}},
                    {"type", table.type},
                    {"schema", {{"fields", table.fields}}},
                    {"numRows", std::to_string(table.rows.size())},
                    {"creationTime", "1714550000000"},
                    {"lastModifiedTime", "1714551111000"},
                    {"location", "US"}};
  if (table.type == "VIEW") {
    body["view"] = {{"query", "SELECT * FROM `" + project_ + "." + dataset + ".base`"}, {"useLegacySql", false}};
  }
  return FakeResponse::json(200, body);
}

}  // namespace bigquery_fake
