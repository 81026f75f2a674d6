#include "table_reader.hpp"
#include "json_members.hpp"

#include "page_decoder.hpp"
#include "cursor.hpp"
#include "job_wait.hpp"

#include <sluice/support/pagination.hpp>

#include <chrono>

namespace bigquery {

namespace {

JobRef job_of(const json::object& response, const std::string& project, const QueryOptions& options) {
  JobRef job{project, "", options.location};
  if (const auto* reference = response.if_contains("jobReference"); reference && reference->is_object()) {
    const auto& object = reference->get_object();
    if (auto id = string_member(object, "projectId"); !id.empty()) job.project = id;
    job.job_id = string_member(object, "jobId");
    if (auto location = string_member(object, "location"); !location.empty()) job.location = location;
  }
  return job;
}

int64_t total_rows(const json::object& response) {
  auto text = string_member(response, "totalRows");  // an int64 string on the wire
  return text.empty() ? -1 : std::stoll(text);
}

// Stops a job this read started and leaves unfinished (cancelled, past its
// deadline, or a poll failed), so it is not left running and billed. Best
// effort: the read's own error is what the host reports, a failed
// jobs.cancel only a warning.
void cancel_unfinished(BigQueryApi& api, const JobRef& job, const sluice::Logger& log) {
  try {
    api.cancel_job(job);
    log.info("query job " + job.job_id + " cancelled (jobs.cancel)");
  } catch (const std::exception& e) {
    log.warn("query job " + job.job_id + " may still be running: jobs.cancel failed: " + e.what());
  }
}

}  // namespace

void read_stream(BigQueryApi& api, const Table& table, const std::string& project, const QueryOptions& options,
                 const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
  // The cursor and key columns are checked against the table before any
  // query is billed.
  std::optional<IncrementalRead> incremental;
  if (stream.incremental()) incremental = plan_incremental_read(stream, table.fields);
  const std::vector<std::string> capture =
      incremental ? incremental->keyset.order_by : std::vector<std::string>();
  const std::string sql = select_statement(TableId{project, stream.ns, stream.name},
                                           incremental ? incremental->condition : std::string(), capture);

  // Every response is decoded as it arrives: its rows go to the host as
  // they are decoded, the result schema is taken from the first that has one.
  std::optional<std::vector<Field>> fields;
  const RecordSink emit = [&ctx](std::string_view record) { ctx.emit_serialized(record); };
  auto decode = [&](const std::string& body) {
    DecodedPage page = decode_page(body, fields ? &*fields : nullptr, capture, emit);
    if (!fields && page.schema) fields = std::move(page.schema);
    return page;
  };

  const auto started = std::chrono::steady_clock::now();
  DecodedPage response = decode(api.start_query(
      query_request(sql, incremental ? incremental->parameters : std::vector<QueryParameter>(), options,
                    random_request_id())));
  const JobRef job = job_of(response.members, project, options);
  const JobWait wait{job.job_id, started, options.job_timeout};

  int64_t done = 0;
  bool complete = false;  // once true, later calls only read pages: no job left to stop
  try {
    sluice::support::for_each_token_page(
        [&](const std::string& page_token) {
          if (!page_token.empty()) response = decode(api.query_results(job, page_token, options));
          if (!complete) {
            response.members = wait_for_job(
                std::move(response.members), wait,
                [&] {
                  response = decode(api.query_results(job, "", options));
                  return response.members;
                },
                [&] { return ctx.cancelled(); }, system_wait_clock());
            complete = true;
          }
          done += static_cast<int64_t>(response.rows);
          auto checkpoint = incremental && response.rows > 0 ? checkpoint_after(*incremental, response.last)
                                                             : std::nullopt;
          if (checkpoint) {
            ctx.checkpoint(*checkpoint);
          } else {
            ctx.flush();
          }
          ctx.progress(done, total_rows(response.members));
          return string_member(response.members, "pageToken");
        },
        "jobs.getQueryResults on job " + job.job_id);
  } catch (...) {
    if (!complete && !job.job_id.empty()) cancel_unfinished(api, job, ctx);
    throw;
  }
}

}  // namespace bigquery
