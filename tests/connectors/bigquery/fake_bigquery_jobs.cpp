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
#include <utility>

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
  if (!job.error.empty()) {  // a failed job answers with its error once it is done
    return google_error(job.error_status, std::string(job.error.at("reason").as_string()),
                        std::string(job.error.at("message").as_string()));
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
  if (offset < job.result.size() && max_rows > 0) answered_pages_.push_back(offset);
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
  const QueryResult& result = job.result;
  const auto& rows = result.rows;
  const size_t size = result.size();
  const size_t end = std::min({size, offset + std::min(max_rows, page_rows_)});
  std::string text = "[";
  size_t count = 0;
  std::string made;
  for (size_t i = offset; i < end; ++i) {
    const std::string* row = nullptr;
    if (result.generated > 0) {  // a generated table: made now
      made = job.table->generate(i);
      if (!int64_timestamps) made = json::serialize(with_float_timestamps(json::parse(made), result.fields));
      row = &made;
    } else if (!result.owned.empty() || !job.table) {  // rows the query made
      made = json::serialize(int64_timestamps ? *rows[i] : with_float_timestamps(*rows[i], result.fields));
      row = &made;
    } else if (int64_timestamps) {  // the table's own rows, encoded once
      row = &job.table->wire[static_cast<size_t>(rows[i] - job.table->table.rows.data())];
    } else {
      made = json::serialize(with_float_timestamps(*rows[i], result.fields));
      row = &made;
    }
    if (count > 0 && text.size() + row->size() > max_bytes) break;
    if (count++ > 0) text.push_back(',');
    text += *row;
  }
  text.push_back(']');
  members["schema"] = {{"fields", result.fields}};
  members["jobReference"] = {{"projectId", project_}, {"jobId", job_id}, {"location", job.location}};
  members["totalRows"] = std::to_string(size);
  members["jobComplete"] = true;
  members["cacheHit"] = job.cache_hit;
  members["totalBytesProcessed"] = std::to_string(job.processed);
  if (offset + count < size) members["pageToken"] = job_id + ":" + std::to_string(offset + count);
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
  json::object failure = job.error;
  if (job.cancelled) {
    failure = {{"reason", "stopped"}, {"message", "Job execution was cancelled: User requested cancellation"}};
  }
  if (!running && !failure.empty()) {
    status["errors"] = json::array{failure};
    status["errorResult"] = std::move(failure);
  }
  json::object configuration{{"jobType", "QUERY"}, {"query", {{"query", job.sql}, {"useLegacySql", false}}}};
  json::object statistics{{"creationTime", "1714550000000"}, {"startTime", "1714550000100"}};
  if (job.inserted) {
    configuration = job.configuration;
    configuration["jobType"] = "QUERY";
    if (!running) {
      statistics["endTime"] = "1714550001100";
      statistics["totalBytesProcessed"] = std::to_string(job.processed);
      statistics["query"] = {{"totalBytesProcessed", std::to_string(job.processed)},
                             {"totalBytesBilled", std::to_string(job.billed)},
                             {"cacheHit", job.cache_hit},
                             {"statementType", "SELECT"}};
    }
  }
  return json::object{
      {"kind", "bigquery#job"},
      {"etag", "fake-etag"},
      {"id", project_ + ":" + job.location + "." + job_id},
      {"selfLink", "https://bigquery.googleapis.com/bigquery/v2/projects/" + project_ + "/jobs/" + job_id +
                       "?location=" + job.location},
      {"jobReference", {{"projectId", project_}, {"jobId", job_id}, {"location", job.location}}},
      {"configuration", std::move(configuration)},
      {"status", std::move(status)},
      {"statistics", std::move(statistics)}};
}

std::optional<FakeResponse> FakeBigQuery::find_table(const ParsedQuery& query,
                                                     std::shared_ptr<const StoredTable>& table) {
  if (query.project != project_) return google_error(404, "notFound", "Not found: Project " + query.project);
  auto dataset = datasets_.find(query.dataset);
  const std::string full = project_ + ":" + query.dataset + "." + query.table;
  if (dataset == datasets_.end()) {
    return google_error(404, "notFound", "Not found: Dataset " + project_ + ":" + query.dataset);
  }
  auto found = dataset->second.find(query.table);
  if (found == dataset->second.end()) {
    return google_error(404, "notFound", "Not found: Table " + full + " was not found in location US");
  }
  if (auto refusal = denied("bigquery.tables.getData", "Access Denied: Table " + full +
                                                          ": User does not have permission to query table " + full +
                                                          ", or perhaps it does not exist.")) {
    return refusal;
  }
  table = found->second;
  return std::nullopt;
}

namespace {

// An int64 member the API writes as a string ("maximumBytesBilled": "1000"), or nullopt.
std::optional<int64_t> int64_text(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::stoll(std::string(value->get_string()));
}

// On-demand billing: bytes processed rounded up to the next MB, at least
// 10 MB for a query that reads a table; nothing for one that reads none.
// https://cloud.google.com/bigquery/pricing#on_demand_pricing
int64_t billed_bytes(int64_t processed) {
  if (processed <= 0) return 0;
  constexpr int64_t kMegabyte = 1 << 20;
  return std::max<int64_t>(10 * kMegabyte, (processed + kMegabyte - 1) / kMegabyte * kMegabyte);
}

}  // namespace

// jobs.insert of a query job. The job runs at once (the result is
// computed here); set_not_ready_polls and set_job_duration say how it
// looks while it "runs". A dry run only reports (dry_run).
FakeResponse FakeBigQuery::insert_job(const FakeRequest& request) {
  json::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return google_error(400, "parseError", "Parse error: the request body is not JSON");
  const json::object& body = parsed.as_object();
  inserted_jobs_.push_back(body);
  if (auto refusal = denied("bigquery.jobs.create", "Access Denied: Project " + project_ + ": User does not have "
                                                        "bigquery.jobs.create permission in project " + project_ + ".")) {
    return *refusal;
  }
  const auto* configuration = body.if_contains("configuration");
  const auto* query = configuration && configuration->is_object() ? configuration->get_object().if_contains("query")
                                                                  : nullptr;
  if (!query || !query->is_object()) {
    return google_error(400, "invalid", "The fake runs query jobs only: configuration.query is missing");
  }
  const json::object& config = configuration->get_object();
  const json::object& query_config = query->get_object();
  const auto* legacy = query_config.if_contains("useLegacySql");
  if (!legacy || !legacy->is_bool() || legacy->get_bool()) {
    return google_error(400, "invalidQuery", "Invalid table name: the query was run as legacy SQL");
  }
  const auto* sql_value = query_config.if_contains("query");
  if (!sql_value || !sql_value->is_string()) return google_error(400, "invalid", "Required parameter is missing: query");
  const std::string sql(sql_value->get_string());
  const auto* list = query_config.if_contains("queryParameters");
  const json::array parameters = list && list->is_array() ? list->get_array() : json::array();
  // "Set to NAMED to use named (@myparam) query parameters in this query."
  // https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationQuery (parameterMode)
  const auto* mode = query_config.if_contains("parameterMode");
  const bool named = mode && mode->is_string() && mode->get_string() == "NAMED";
  if (!named && (!parameters.empty() || sql.find('@') != std::string::npos)) {
    return google_error(400, "invalidQuery", "Query parameters cannot be used in a query whose parameterMode is not NAMED");
  }
  std::string location = "US";
  const auto* reference = body.if_contains("jobReference");
  const json::object no_reference;
  const json::object& job_reference = reference && reference->is_object() ? reference->get_object() : no_reference;
  if (const auto* l = job_reference.if_contains("location"); l && l->is_string()) location = std::string(l->get_string());
  const auto* dry = config.if_contains("dryRun");
  if (dry && dry->is_bool() && dry->get_bool()) return dry_run(body, sql, parameters, location);

  if (const std::string statement = statement_type(sql); statement != "SELECT") {
    return google_error(400, "invalidQuery", "The fake runs only SELECT statements, not " +
                                                 (statement.empty() ? std::string("this one") : statement));
  }
  auto parsed_query = parse_select(sql, project_);
  if (!parsed_query) {
    return google_error(400, "invalidQuery", "Syntax error: the fake runs only SELECT ... [FROM one table] statements");
  }
  Job job;
  if (!parsed_query->table.empty()) {
    std::shared_ptr<const StoredTable> table;
    if (auto refusal = find_table(*parsed_query, table)) return *refusal;
    job.table = std::move(table);
  }
  try {
    job.result = execute_query(*parsed_query, job.table.get(), parameters);
  } catch (const QueryError& e) {
    return google_error(400, "invalidQuery", e.what());
  }
  std::string job_id = "job_fake" + std::to_string(next_job_++);
  if (const auto* id = job_reference.if_contains("jobId"); id && id->is_string()) job_id = std::string(id->get_string());
  if (jobs_.contains(job_id)) {
    return google_error(409, "duplicate", "Already Exists: Job " + project_ + ":" + location + "." + job_id);
  }
  job.location = location;
  job.sql = sql;
  job.inserted = true;
  job.configuration = config;
  job.not_ready = not_ready_polls_;
  if (job.table) {
    auto override = table_bytes_.find({parsed_query->dataset, parsed_query->table});
    job.processed = override != table_bytes_.end() ? override->second : bytes_processed(*parsed_query, *job.table);
  }
  if (std::exchange(next_from_cache_, false)) {
    job.cache_hit = true;
    job.processed = 0;  // a cached result reads and bills nothing
  }
  job.billed = billed_bytes(job.processed);
  // "Queries with bytes billed above this limit will fail (without incurring a charge)."
  // The job's errorResult: reason bytesBilledLimitExceeded, "Query exceeded
  // limit for bytes billed: 1000. 10485760 or higher required." (as
  // reported by Google's bigframes documentation). The HTTP status that
  // getQueryResults carries it with is not documented: users of the Python
  // and Go clients report 400 and 500 both, so it is a knob
  // (set_over_cap_failure), and the connector must not depend on it.
  // https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationQuery (maximumBytesBilled)
  // https://cloud.google.com/bigquery/docs/best-practices-costs#limit_query_costs_by_restricting_the_number_of_bytes_billed
  if (auto cap = int64_text(query_config, "maximumBytesBilled"); cap && job.billed > *cap) {
    job.error = {{"reason", "bytesBilledLimitExceeded"},
                 {"message", "Query exceeded limit for bytes billed: " + std::to_string(*cap) + ". " +
                                 std::to_string(job.billed) + " or higher required."}};
    job.error_status = over_cap_status_;
    job.not_ready = over_cap_running_polls_;
    job.billed = 0;
  } else if (auto timeout = int64_text(config, "jobTimeoutMs"); timeout && job_duration_.count() > *timeout) {
    // "If this time limit is exceeded, BigQuery attempts to stop the job":
    // reason stopped, "Job execution was cancelled: Job timed out after 2
    // sec", HTTP 499 (CANCELLED), as clients observe it.
    // https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfiguration (jobTimeoutMs)
    job.error = {{"reason", "stopped"},
                 {"message", "Job execution was cancelled: Job timed out after " + std::to_string(*timeout / 1000) +
                                 " sec"}};
    job.error_status = 499;
  }
  auto& stored = jobs_[job_id] = std::move(job);
  if (hang_job_inserts_) {
    FakeResponse held;
    held.fault = sluice::testkit::Fault::hang;
    return held;
  }
  return FakeResponse::json(200, job_resource(job_id, stored));
}

// A dry run validates the statement as a run would (tables, columns,
// parameters) and reports without running: "A valid query will return a
// mostly empty response with some processing statistics" (statementType,
// totalBytesProcessed, the result schema); dry runs have no jobId.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfiguration (dryRun)
// https://cloud.google.com/bigquery/docs/dry-run-queries
FakeResponse FakeBigQuery::dry_run(const json::object& body, const std::string& sql, const json::array& parameters,
                                   const std::string& location) {
  const std::string statement = statement_type(sql);
  if (statement.empty()) return google_error(400, "invalidQuery", "Syntax error: Unexpected keyword at [1:1]");
  json::object query_statistics{{"statementType", statement}, {"cacheHit", false},
                                {"totalBytesProcessedAccuracy", "PRECISE"}};
  int64_t processed = 0;
  if (statement == "SELECT") {
    auto parsed_query = parse_select(sql, project_);
    if (!parsed_query) {
      return google_error(400, "invalidQuery", "Syntax error: the fake runs only SELECT ... [FROM one table] statements");
    }
    std::shared_ptr<const StoredTable> table;
    if (!parsed_query->table.empty()) {
      if (auto refusal = find_table(*parsed_query, table)) return *refusal;
    }
    try {
      query_statistics["schema"] = {{"fields", execute_query(*parsed_query, table.get(), parameters).fields}};
    } catch (const QueryError& e) {
      return google_error(400, "invalidQuery", e.what());
    }
    if (table) {
      auto override = table_bytes_.find({parsed_query->dataset, parsed_query->table});
      processed = override != table_bytes_.end() ? override->second : bytes_processed(*parsed_query, *table);
    }
  }
  query_statistics["totalBytesProcessed"] = std::to_string(processed);
  json::object configuration = body.at("configuration").as_object();
  configuration["jobType"] = "QUERY";
  return FakeResponse::json(
      200, json::object{{"kind", "bigquery#job"},
                        {"etag", "fake-etag"},
                        {"jobReference", {{"projectId", project_}, {"location", location}}},
                        {"configuration", std::move(configuration)},
                        {"status", {{"state", "DONE"}}},
                        {"statistics", {{"creationTime", "1714550000000"},
                                        {"totalBytesProcessed", std::to_string(processed)},
                                        {"query", std::move(query_statistics)}}}});
}

// jobs.get: the Job, with its statistics once it is done.
FakeResponse FakeBigQuery::get_job(const FakeRequest& request, const std::string& job_id) {
  auto found = jobs_.find(job_id);
  const std::string location = request.query("location");
  if (found == jobs_.end() || (!location.empty() && location != found->second.location)) {
    return google_error(404, "notFound", "Not found: Job " + project_ + ":" + (location.empty() ? "US" : location) +
                                             "." + job_id);
  }
  return FakeResponse::json(200, job_resource(job_id, found->second));
}

}  // namespace bigquery_fake
