#include "table_reader.hpp"
#include "json_members.hpp"

#include "page_decoder.hpp"
#include "cursor.hpp"
#include "job_wait.hpp"

#include <sluice/support/fetcher.hpp>

#include <algorithm>
#include <chrono>
#include <utility>

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

FetchPlan plan_fetch(const QueryOptions& options, double bytes_per_row) {
  const double row = std::max(bytes_per_row, 1.0);
  const auto page_size = static_cast<size_t>(std::max<int64_t>(options.page_size, 1));
  FetchPlan plan;
  plan.rows_per_page = std::clamp<size_t>(static_cast<size_t>(kRequestBytes / row), 1, page_size);
  const double page_bytes = static_cast<double>(plan.rows_per_page) * row;
  plan.concurrency = std::clamp<size_t>(static_cast<size_t>(kBytesInFlight / page_bytes), 1,
                                        std::max<size_t>(options.concurrency, 1));
  return plan;
}

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
  int64_t done = 0, total = -1;
  // After each response: a checkpoint after its last row (incremental), or
  // its records handed over.
  auto commit = [&](const DecodedPage& page) {
    done += static_cast<int64_t>(page.rows);
    auto checkpoint = incremental && page.rows > 0 ? checkpoint_after(*incremental, page.last) : std::nullopt;
    if (checkpoint) {
      ctx.checkpoint(*checkpoint);
    } else {
      ctx.flush();
    }
    ctx.progress(done, total);
  };

  // The query, and its first page once the job is complete.
  QueryOptions first_page = options;
  first_page.page_size = std::min(options.page_size, kFirstPageRows);
  size_t first_bytes = 0;
  const auto started = std::chrono::steady_clock::now();
  std::string body = api.start_query(
      query_request(sql, incremental ? incremental->parameters : std::vector<QueryParameter>(), first_page,
                    random_request_id()));
  first_bytes = body.size();
  DecodedPage first = decode(body);
  body = std::string();
  const JobRef job = job_of(first.members, project, options);
  bool complete = job_complete(first.members);  // once true, no job is left to stop
  try {
    first.members = wait_for_job(
        std::move(first.members), JobWait{job.job_id, started, options.job_timeout},
        [&] {
          const std::string polled = api.query_results(job, "", first_page);
          first_bytes = polled.size();
          first = decode(polled);  // a complete page's rows are emitted here
          complete = job_complete(first.members);
          return first.members;
        },
        [&] { return ctx.cancelled(); }, system_wait_clock());
  } catch (...) {
    if (!complete && !job.job_id.empty()) cancel_unfinished(api, job, ctx);
    throw;
  }
  const std::string what = "jobs.getQueryResults on job " + job.job_id;
  total = total_rows(first.members);
  if (total < 0) throw sluice::Error(sluice::ErrorKind::source, what + ": a complete result without totalRows");
  if (!fields) fields.emplace();  // a result without a schema has no columns
  commit(first);

  // The rest, by startIndex, several pages at a time: a worker fetches each
  // page, this thread decodes them in order.
  const auto rows = static_cast<size_t>(total), from = first.rows;
  if (from >= rows) return;
  const FetchPlan plan =
      plan_fetch(options, first.rows > 0 ? static_cast<double>(first_bytes) / static_cast<double>(first.rows) : 1024);
  const size_t page_rows = plan.rows_per_page;
  auto pool = api.result_pool(plan.concurrency);
  sluice::support::fetch_in_order<std::string>(
      *pool, 0, (rows - from + page_rows - 1) / page_rows,
      [&](sluice::support::HttpClient& client, size_t index) {
        const size_t start = from + index * page_rows;
        return api.query_results_at(job, start, std::min(page_rows, rows - start), options, &client);
      },
      [&](size_t index, std::string& page_body) {
        const size_t start = from + index * page_rows, want = std::min(page_rows, rows - start);
        for (size_t got = 0;;) {
          const DecodedPage page = decode(std::exchange(page_body, std::string()));
          if (page.rows == 0 || page.rows > want - got) {
            throw sluice::Error(sluice::ErrorKind::source,
                                what + " returned " + std::to_string(page.rows) + " rows at startIndex " +
                                    std::to_string(start + got) + " where " + std::to_string(want - got) +
                                    " of " + std::to_string(rows) + " were asked for");
          }
          got += page.rows;
          commit(page);
          if (got == want) return true;
          // BigQuery cut the page short by size: the rest of it, here.
          page_body = api.query_results_at(job, start + got, want - got, options);
        }
      });
}

}  // namespace bigquery
