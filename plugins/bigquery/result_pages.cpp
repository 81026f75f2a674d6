#include "result_pages.hpp"
#include "json_members.hpp"

#include <sluice/support/fetcher.hpp>

#include <algorithm>
#include <utility>

namespace bigquery {

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
  auto text = string_member(response, "totalRows");
  return text.empty() ? -1 : std::stoll(text);
}

void cancel_unfinished(BigQueryApi& api, const JobRef& job, const sluice::Logger& log) {
  try {
    api.cancel_job(job);
    log.info("query job " + job.job_id + " cancelled (jobs.cancel)");
  } catch (const std::exception& e) {
    log.warn("query job " + job.job_id + " may still be running: jobs.cancel failed: " + e.what());
  }
}

void read_rest_of_result(BigQueryApi& api, const JobRef& job, const QueryOptions& options, size_t from, size_t rows,
                         double bytes_per_row, const std::function<DecodedPage(std::string body)>& decode,
                         const std::function<void(const DecodedPage&)>& commit) {
  if (from >= rows) return;
  const std::string what = "jobs.getQueryResults on job " + job.job_id;
  const FetchPlan plan = plan_fetch(options, bytes_per_row);
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
