#include "table_reader.hpp"

#include "cursor.hpp"
#include "job_wait.hpp"
#include "page_decoder.hpp"
#include "result_pages.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace bigquery {

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
  // they are decoded, as typed cells (no record text is written or parsed),
  // the result schema is taken from the first that has one.
  std::optional<std::vector<Field>> fields;
  DecodeOptions typed;
  typed.cells = &ctx;
  auto decode = [&](const std::string& body) {
    DecodedPage page = decode_page(body, fields ? &*fields : nullptr, capture, {}, typed);
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
  total = total_rows(first.members);
  if (total < 0) {
    throw sluice::Error(sluice::ErrorKind::source,
                        "jobs.getQueryResults on job " + job.job_id + ": a complete result without totalRows");
  }
  if (!fields) fields.emplace();  // a result without a schema has no columns
  commit(first);

  // The rest, by startIndex, several pages at a time (result_pages.hpp).
  read_rest_of_result(api, job, options, first.rows, static_cast<size_t>(total),
                      first.rows > 0 ? static_cast<double>(first_bytes) / static_cast<double>(first.rows) : 1024,
                      [&](std::string page_body) { return decode(page_body); }, commit);
}

}  // namespace bigquery
