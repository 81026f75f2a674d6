#include "query_in_place.hpp"
#include "json_members.hpp"

#include "api_error.hpp"
#include "page_decoder.hpp"
#include "result_pages.hpp"
#include "table_reader.hpp"

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>

namespace bigquery {

namespace {

sluice::Error bad_parameter(const sluice::QueryParameter& parameter, const std::string& why) {
  return {sluice::ErrorKind::config, "parameter " + parameter.name + " (" + parameter.type + "): " + why};
}

// One parameter's QueryParameterValue.value, as the type's literal.
std::string parameter_text(const sluice::QueryParameter& parameter, const std::string& type) {
  const json::value& value = parameter.value;
  if (type == "INT64") {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64() && value.get_uint64() <= uint64_t(INT64_MAX)) return std::to_string(value.get_uint64());
    throw bad_parameter(parameter, "not a 64-bit integer");
  }
  if (type == "FLOAT64") {
    double number = 0;
    if (value.is_double()) number = value.get_double();
    else if (value.is_int64()) number = static_cast<double>(value.get_int64());
    else throw bad_parameter(parameter, "not a number");
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, number);  // shortest text that reads back exactly
    return std::string(text, end);
  }
  if (type == "BOOL") {
    if (!value.is_bool()) throw bad_parameter(parameter, "not true or false");
    return value.get_bool() ? "true" : "false";
  }
  if (!value.is_string()) throw bad_parameter(parameter, "not a text value");
  const std::string text(value.get_string());
  if (type == "DATE" && !sluice::support::parse_date(text)) throw bad_parameter(parameter, "not a date (YYYY-MM-DD)");
  if (type == "TIMESTAMP") {
    const auto instant = sluice::support::parse_rfc3339(text);
    if (!instant) throw bad_parameter(parameter, "not an RFC 3339 timestamp");
    return sluice::support::format_rfc3339(*instant);
  }
  return text;
}

// A member of a Job that the API writes as an int64 string; -1 when absent.
int64_t int64_member(const json::object& object, const char* key) {
  const std::string text = string_member(object, key);
  int64_t value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

const json::object& member_object(const json::object& object, const char* key) {
  static const json::object kEmpty;
  const auto* member = object.if_contains(key);
  return member && member->is_object() ? member->get_object() : kEmpty;
}

// "1.5 GiB (1610612736 bytes)": readable, and exact.
std::string bytes_text(int64_t bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double scaled = static_cast<double>(bytes);
  size_t unit = 0;
  while (scaled >= 1024 && unit + 1 < std::size(kUnits)) {
    scaled /= 1024;
    ++unit;
  }
  if (unit == 0) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", scaled, kUnits[unit]);
  return std::string(text) + " (" + std::to_string(bytes) + " bytes)";
}

json::object query_configuration(const std::string& sql, const std::vector<QueryParameter>& parameters) {
  return json::object{{"query", sql},
                      {"useLegacySql", false},
                      {"parameterMode", "NAMED"},
                      {"queryParameters", query_parameters_json(parameters)}};
}

// A job that failed as it was created (over maximumBytesBilled...): its
// errorResult, as the error the same refusal on a call would give.
void throw_if_failed(const json::object& job, const JobRef& ref) {
  const auto& error = member_object(member_object(job, "status"), "errorResult");
  if (error.empty()) return;
  ApiError api_error;
  api_error.status = 400;
  api_error.from_api = true;
  api_error.reason = string_member(error, "reason");
  api_error.message = string_member(error, "message");
  throw to_error(api_error, CallContext{"jobs.insert", "job " + ref.job_id, "bigquery.jobs.create", ""});
}

}  // namespace

std::vector<QueryParameter> bigquery_parameters(const std::vector<sluice::QueryParameter>& parameters) {
  static const std::pair<const char*, const char*> kTypes[] = {{"string", "STRING"},   {"integer", "INT64"},
                                                               {"number", "FLOAT64"},  {"boolean", "BOOL"},
                                                               {"date", "DATE"},       {"timestamp", "TIMESTAMP"}};
  std::vector<QueryParameter> out;
  for (const auto& parameter : parameters) {
    const auto* found = std::find_if(std::begin(kTypes), std::end(kTypes),
                                     [&](const auto& entry) { return parameter.type == entry.first; });
    if (found == std::end(kTypes)) {
      throw bad_parameter(parameter, "BigQuery has no such parameter type (string, integer, number, boolean, date or "
                                     "timestamp)");
    }
    out.push_back({parameter.name, found->second, parameter_text(parameter, found->second)});
  }
  return out;
}

std::vector<sluice::QueryColumn> query_columns(const std::vector<Field>& fields) {
  const json::object record = record_json_schema(fields);
  const auto& properties = record.at("properties").as_object();
  std::vector<sluice::QueryColumn> columns;
  for (const auto& field : fields) {
    const auto& schema = properties.at(field.name).as_object();
    std::string type = string_member(schema, "x-bigquery-type");
    if (field.repeated) type = "ARRAY<" + type + ">";
    columns.push_back({field.name, schema, std::move(type)});
  }
  return columns;
}

json::object dry_run_job(const std::string& sql, const std::vector<QueryParameter>& parameters,
                         const std::string& project, const QueryOptions& options) {
  json::object reference{{"projectId", project}};
  if (!options.location.empty()) reference["location"] = options.location;
  return json::object{{"jobReference", std::move(reference)},
                      {"configuration", {{"dryRun", true}, {"query", query_configuration(sql, parameters)}}}};
}

json::object query_job(const std::string& sql, const std::vector<QueryParameter>& parameters, const JobRef& job,
                       int64_t max_bytes_billed, int64_t timeout_seconds) {
  json::object reference{{"projectId", job.project}, {"jobId", job.job_id}};
  if (!job.location.empty()) reference["location"] = job.location;
  json::object query = query_configuration(sql, parameters);
  query["maximumBytesBilled"] = std::to_string(max_bytes_billed);  // int64 values are strings on the wire
  return json::object{
      {"jobReference", std::move(reference)},
      {"configuration", {{"jobTimeoutMs", std::to_string(timeout_seconds * 1000)}, {"query", std::move(query)}}}};
}

void run_query(BigQueryApi& api, const QuerySettings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx, const WaitClock& clock) {
  const std::vector<QueryParameter> parameters = bigquery_parameters(request.parameters);
  const int64_t max_bytes_billed = request.max_bytes_billed.value_or(settings.max_bytes_billed);
  const int64_t timeout = std::max<int64_t>(request.timeout_seconds, 1);

  // 1. The dry run: what the statement is, and what it would read. Free.
  json::object dry;
  try {
    dry = api.insert_job(dry_run_job(request.sql, parameters, settings.project, settings.options));
  } catch (const sluice::Error& e) {
    // BigQuery's refusal of the statement (invalidQuery: a syntax error, an
    // unknown column, a missing parameter) is the user's to fix.
    if (e.kind() != sluice::ErrorKind::source) throw;
    throw sluice::Error(sluice::ErrorKind::config, std::string("dry run: ") + e.what());
  }
  const auto& statistics = member_object(dry, "statistics");
  const auto& query_statistics = member_object(statistics, "query");
  const std::string statement = string_member(query_statistics, "statementType");
  if (statement != "SELECT") {
    throw sluice::Error(sluice::ErrorKind::config,
                        "BigQuery's dry run says the statement is " +
                            (statement.empty() ? std::string("of no known type") : "a " + statement + " statement") +
                            "; sluice query runs only SELECT statements");
  }
  int64_t estimated = int64_member(query_statistics, "totalBytesProcessed");
  if (estimated < 0) estimated = int64_member(statistics, "totalBytesProcessed");
  ctx.facts["estimated_bytes"] = estimated;
  ctx.info("dry run: a SELECT statement that will process about " + bytes_text(std::max<int64_t>(estimated, 0)) +
           "; maximumBytesBilled " + bytes_text(max_bytes_billed));

  // 2. The job, with its own id: a retried POST cannot start a second one;
  // where the dry run placed it (the tables' location) unless configured.
  JobRef job{settings.project, "sluice_query_" + random_request_id(), settings.options.location};
  if (job.location.empty()) job.location = string_member(member_object(dry, "jobReference"), "location");
  ctx.facts["job_id"] = job.job_id;
  const auto started = clock.now();
  json::object inserted;
  try {
    inserted = api.insert_job(query_job(request.sql, parameters, job, max_bytes_billed, timeout));
  } catch (const sluice::Cancelled&) {
    // The POST may have created the job before it was interrupted; it has
    // our id, so it can be stopped (a job never created is a 404, a warning).
    cancel_unfinished(api, job, ctx);
    throw;
  } catch (const sluice::Error& e) {
    if (e.kind() == sluice::ErrorKind::transient || e.kind() == sluice::ErrorKind::rate_limited) {
      cancel_unfinished(api, job, ctx);  // likewise, after its last retry
    }
    throw;
  }
  if (auto location = string_member(member_object(inserted, "jobReference"), "location"); !location.empty()) {
    job.location = location;
  }
  throw_if_failed(inserted, job);

  // 3. Its result. Columns go to the host as soon as the schema is read,
  // before the first row.
  std::optional<std::vector<Field>> fields;
  bool columns_sent = false;
  DecodeOptions decoding;
  decoding.shape = RowShape::array;
  decoding.on_schema = [&](const std::vector<Field>& schema) {
    ctx.columns(query_columns(schema));
    columns_sent = true;
  };
  const RecordSink emit = [&ctx](std::string_view row) { ctx.row_serialized(row); };
  auto decode = [&](const std::string& body) {
    DecodedPage page = decode_page(body, fields ? &*fields : nullptr, {}, emit, decoding);
    if (!fields && page.schema) fields = std::move(page.schema);
    return page;
  };
  QueryOptions first_page = settings.options;
  first_page.page_size = std::min(settings.options.page_size, kFirstPageRows);
  DecodedPage first;
  size_t first_bytes = 0;
  bool complete = false;  // once true, the job has nothing left to stop but a read
  auto poll = [&] {
    const std::string body = api.query_results(job, "", first_page);
    first_bytes = body.size();
    first = decode(body);
    complete = job_complete(first.members);
    return first.members;
  };
  size_t rows = 0;
  try {
    poll();
    first.members = wait_for_job(std::move(first.members),
                                 JobWait{job.job_id, started, std::chrono::seconds(timeout), "the query's timeout"},
                                 poll, [&] { return ctx.cancelled(); }, clock);
    const int64_t total = total_rows(first.members);
    if (total < 0) {
      throw sluice::Error(sluice::ErrorKind::source,
                          "jobs.getQueryResults on job " + job.job_id + ": a complete result without totalRows");
    }
    if (!columns_sent) ctx.columns({});  // a result without a schema has no columns
    rows = first.rows;
    read_rest_of_result(api, job, settings.options, first.rows, static_cast<size_t>(total),
                        first.rows > 0 ? static_cast<double>(first_bytes) / static_cast<double>(first.rows) : 1024,
                        [&](std::string body) { return decode(body); },
                        [&](const DecodedPage& page) { rows += page.rows; });
    ctx.flush();
  } catch (const sluice::Cancelled&) {
    cancel_unfinished(api, job, ctx);  // complete or not: the host wants no more
    throw;
  } catch (...) {
    if (!complete) cancel_unfinished(api, job, ctx);
    throw;
  }

  // 4. What it cost. A failed jobs.get loses only these facts.
  try {
    const json::object done = api.get_job(job);
    const auto& job_statistics = member_object(done, "statistics");
    const auto& query = member_object(job_statistics, "query");
    int64_t processed = int64_member(query, "totalBytesProcessed");
    if (processed < 0) processed = int64_member(job_statistics, "totalBytesProcessed");
    const int64_t billed = int64_member(query, "totalBytesBilled");
    const auto* cache_hit = query.if_contains("cacheHit");
    const bool cached = cache_hit && cache_hit->is_bool() && cache_hit->get_bool();
    ctx.facts["location"] = job.location;
    ctx.facts["bytes_processed"] = processed;
    ctx.facts["bytes_billed"] = billed;
    ctx.facts["cache_hit"] = cached;
    ctx.info("query job " + job.job_id + ": " + std::to_string(rows) + " rows, " +
             bytes_text(std::max<int64_t>(processed, 0)) + " processed, " + bytes_text(std::max<int64_t>(billed, 0)) +
             " billed" + (cached ? " (cached result)" : ""));
  } catch (const sluice::Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    ctx.warn("query job " + job.job_id + " done, but its statistics could not be read: " + e.what());
  }
}

}  // namespace bigquery
