// The fake's query jobs, as documented:
//   jobs.query           https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
//   jobs.getQueryResults https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
//   DataFormatOptions    https://cloud.google.com/bigquery/docs/reference/rest/v2/DataFormatOptions
//   jobs.cancel          https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel
//   Job                  https://cloud.google.com/bigquery/docs/reference/rest/v2/Job
//   paging        https://cloud.google.com/bigquery/docs/paging-results
// jobComplete=false first when asked (set_not_ready_polls), pages cut at
// min(maxResults, set_page_rows) rows and at a byte limit (set_page_bytes:
// 10 MB for jobs.query, 20 MB for getQueryResults, at least one row), with
// an opaque pageToken; getQueryResults reads from startIndex ("Zero-based
// index of the starting row") or from a pageToken, never both (the client
// libraries treat them as exclusive: "If this property is non-null,
// PageToken must be null", https://cloud.google.com/dotnet/docs/reference/Google.Cloud.BigQuery.V2/latest/Google.Cloud.BigQuery.V2.ListRowsOptions);
// totalRows as a string; 404 for an unknown job or a location that is not
// the job's. A page is the rows' text encoded when the table was added,
// copied: its cost depends on the page, not on the table.
// Responses carry only members the reference declares for them: no queryId,
// which QueryResponse declares only for queries run without a job.
#include "fake_bigquery.hpp"

#include <algorithm>
#include <cstdio>

namespace bigquery_fake {

FakeResponse FakeBigQuery::query(const FakeRequest& request) {
  json::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return google_error(400, "parseError", "Parse error: the request body is not JSON");
  const json::object& body = parsed.as_object();
  query_requests_.push_back(body);
  if (auto refusal = denied("bigquery.jobs.create", "Access Denied: Project " + project_ + ": User does not have "
                                                        "bigquery.jobs.create permission in project " + project_ + ".")) {
    return *refusal;
  }
  // The API's default is legacy SQL, where backtick-quoted paths and named
  // parameters are errors.
  const auto* legacy = body.if_contains("useLegacySql");
  if (!legacy || !legacy->is_bool() || legacy->get_bool()) {
    return google_error(400, "invalidQuery", "Invalid table name: the query was run as legacy SQL");
  }
  const auto* sql = body.if_contains("query");
  auto parsed_query = sql && sql->is_string() ? parse_query(sql->get_string()) : std::nullopt;
  if (!parsed_query) {
    return google_error(400, "invalidQuery", "Syntax error: the fake runs only the connector's statements");
  }
  if (parsed_query->project != project_) {
    return google_error(404, "notFound", "Not found: Project " + parsed_query->project);
  }
  auto dataset = datasets_.find(parsed_query->dataset);
  const std::string full = project_ + ":" + parsed_query->dataset + "." + parsed_query->table;
  if (dataset == datasets_.end()) {
    return google_error(404, "notFound", "Not found: Dataset " + project_ + ":" + parsed_query->dataset);
  }
  auto table = dataset->second.find(parsed_query->table);
  if (table == dataset->second.end()) {
    return google_error(404, "notFound", "Not found: Table " + full + " was not found in location US");
  }
  if (auto refusal = denied("bigquery.tables.getData", "Access Denied: Table " + full +
                                                          ": User does not have permission to query table " + full +
                                                          ", or perhaps it does not exist.")) {
    return *refusal;
  }
  const auto* parameters = body.if_contains("queryParameters");
  Job job;
  job.table = table->second;
  try {
    job.result = execute_query(*parsed_query, job.table->table,
                               parameters && parameters->is_array() ? parameters->get_array() : json::array());
  } catch (const QueryError& e) {
    return google_error(400, "invalidQuery", e.what());
  }
  const auto* location = body.if_contains("location");
  job.location = location && location->is_string() ? std::string(location->get_string()) : "US";
  job.not_ready = not_ready_polls_;
  job.sql = std::string(sql->get_string());
  const std::string job_id = "job_fake" + std::to_string(next_job_++);
  auto& stored = jobs_[job_id] = std::move(job);
  if (stored.not_ready != 0) {
    if (stored.not_ready > 0) --stored.not_ready;
    return FakeResponse::json(200, json::object{{"kind", "bigquery#queryResponse"},
                                                {"jobReference", {{"projectId", project_}, {"jobId", job_id},
                                                                  {"location", stored.location}}},
                                                {"jobComplete", false}});
  }
  const auto* max_results = body.if_contains("maxResults");
  const size_t max_rows = max_results && max_results->is_int64() ? static_cast<size_t>(max_results->get_int64()) : page_rows_;
  const auto* format = body.if_contains("formatOptions");
  const bool int64_timestamps = format && format->is_object() && format->get_object().contains("useInt64Timestamp") &&
                                format->get_object().at("useInt64Timestamp") == true;
  FakeResponse response;
  response.body = result_page({{"kind", "bigquery#queryResponse"}}, job_id, stored, 0, max_rows, query_page_bytes_,
                              int64_timestamps);
  return response;
}

FakeResponse FakeBigQuery::query_results(const FakeRequest& request, const std::string& job_id) {
  ++result_calls_;
  result_called_.notify_all();
  if (fail_results_after_ >= 0 && result_calls_ > fail_results_after_) {
    return google_error(403, "accessDenied", "Access Denied: Job " + project_ + ":US." + job_id +
                                                 ": User does not have bigquery.jobs.get permission for job " + job_id + ".");
  }
  auto found = jobs_.find(job_id);
  const std::string location = request.query("location");
  if (found == jobs_.end() || (!location.empty() && location != found->second.location)) {
    return google_error(404, "notFound", "Not found: Job " + project_ + ":" + (location.empty() ? "US" : location) +
                                             "." + job_id);
  }
  Job& job = found->second;
  if (job.not_ready != 0 && !job.cancelled) {
    if (job.not_ready > 0) --job.not_ready;
    return FakeResponse::json(200, json::object{{"kind", "bigquery#getQueryResultsResponse"},
                                                {"etag", "fake-etag"},
                                                {"jobReference", {{"projectId", project_}, {"jobId", job_id},
                                                                  {"location", job.location}}},
                                                {"jobComplete", false}});
  }
  size_t offset = 0;
  const std::string token = request.query("pageToken");
  if (request.has_query("startIndex")) {
    if (!token.empty()) return google_error(400, "invalid", "startIndex and pageToken cannot both be set");
    offset = number_or(request.query("startIndex"), 0);
  } else if (!token.empty()) {
    const std::string prefix = job_id + ":";
    if (token.rfind(prefix, 0) != 0) return google_error(400, "invalid", "Invalid page token: " + token);
    offset = number_or(token.substr(prefix.size()), 0);
  }
  if (failing_starts_.contains(offset)) {
    return google_error(403, "accessDenied", "Access Denied: Job " + project_ + ":US." + job_id +
                                                 ": User does not have bigquery.jobs.get permission for job " + job_id + ".");
  }
  if (hanging_starts_.contains(offset)) {
    FakeResponse held;
    held.fault = sluice::testkit::Fault::hang;
    return held;
  }
  if (auto held = held_starts_.find(offset); held != held_starts_.end()) {
    if (answered_pages_.size() < held->second) {
      return google_error(503, "backendError", "Error encountered during execution. Retrying may solve the problem.");
    }
    held_starts_.erase(held);
  }
  size_t max_rows = number_or(request.query("maxResults"), page_rows_);
  if (results_end_ != SIZE_MAX) max_rows = offset >= results_end_ ? 0 : std::min(max_rows, results_end_ - offset);
  FakeResponse response;
  response.body = result_page({{"kind", "bigquery#getQueryResultsResponse"}, {"etag", "fake-etag"}}, job_id, job, offset,
                              max_rows, results_page_bytes_, request.query("formatOptions.useInt64Timestamp") == "true");
  if (offset < job.result.rows.size() && max_rows > 0) answered_pages_.push_back(offset);
  if (repeat_page_tokens_ && offset > 0) {  // the same token again, where the page's own would be
    const std::string own = "\"pageToken\":\"" + job_id + ":";
    const size_t at = response.body.find(own);
    if (at != std::string::npos) {
      const size_t end = response.body.find('"', at + own.size());
      response.body.replace(at, end + 1 - at, "\"pageToken\":" + json::serialize(json::value(token)));
    }
  }
  return response;
}

std::string FakeBigQuery::result_page(json::object members, const std::string& job_id, const Job& job, size_t offset,
                                      size_t max_rows, size_t max_bytes, bool int64_timestamps) const {
  const auto& rows = job.result.rows;
  const auto& table_rows = job.table->table.rows;
  const size_t end = std::min({rows.size(), offset + std::min(max_rows, page_rows_)});
  std::string text = "[";
  size_t count = 0;
  for (size_t i = offset; i < end; ++i) {
    const size_t index = static_cast<size_t>(rows[i] - table_rows.data());
    const std::string converted =
        int64_timestamps ? std::string() : json::serialize(with_float_timestamps(*rows[i], job.result.fields));
    const std::string& row = int64_timestamps ? job.table->wire[index] : converted;
    if (count > 0 && text.size() + row.size() > max_bytes) break;
    if (count++ > 0) text.push_back(',');
    text += row;
  }
  text.push_back(']');
  members["schema"] = {{"fields", job.result.fields}};
  members["jobReference"] = {{"projectId", project_}, {"jobId", job_id}, {"location", job.location}};
  members["totalRows"] = std::to_string(rows.size());
  members["jobComplete"] = true;
  members["cacheHit"] = false;
  members["totalBytesProcessed"] = "0";
  if (offset + count < rows.size()) members["pageToken"] = job_id + ":" + std::to_string(offset + count);
  std::string body = json::serialize(members);
  if (count > 0) {  // "rows" is absent from an empty page
    body.pop_back();
    body += ",\"rows\":" + text + "}";
  }
  return body;
}

// jobs.cancel returns at once with the Job; the fake stops it there and then
// (a real job may take a moment, and may finish anyway).
FakeResponse FakeBigQuery::cancel_job(const FakeRequest& request, const std::string& job_id) {
  auto found = jobs_.find(job_id);
  const std::string location = request.query("location");
  if (found == jobs_.end() || (!location.empty() && location != found->second.location)) {
    return google_error(404, "notFound", "Not found: Job " + project_ + ":" + (location.empty() ? "US" : location) +
                                             "." + job_id);
  }
  cancelled_jobs_.push_back(job_id);
  found->second.cancelled = true;
  return FakeResponse::json(200, json::object{{"kind", "bigquery#jobCancelResponse"},
                                              {"job", job_resource(job_id, found->second)}});
}

json::object FakeBigQuery::job_resource(const std::string& job_id, const Job& job) const {
  const bool running = !job.cancelled && job.not_ready != 0;
  json::object status{{"state", running ? "RUNNING" : "DONE"}};
  if (job.cancelled) {
    json::object stopped{{"reason", "stopped"}, {"message", "Job execution was cancelled: User requested cancellation"}};
    status["errors"] = json::array{stopped};
    status["errorResult"] = std::move(stopped);
  }
  return json::object{
      {"kind", "bigquery#job"},
      {"etag", "fake-etag"},
      {"id", project_ + ":" + job.location + "." + job_id},
      {"selfLink", "https://bigquery.googleapis.com/bigquery/v2/projects/" + project_ + "/jobs/" + job_id +
                       "?location=" + job.location},
      {"jobReference", {{"projectId", project_}, {"jobId", job_id}, {"location", job.location}}},
      {"configuration", {{"jobType", "QUERY"}, {"query", {{"query", job.sql}, {"useLegacySql", false}}}}},
      {"status", std::move(status)},
      {"statistics", {{"creationTime", "1714550000000"}, {"startTime", "1714550000100"}}}};
}

}  // namespace bigquery_fake
