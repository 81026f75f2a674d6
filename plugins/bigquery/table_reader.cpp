#include "table_reader.hpp"
#include "json_members.hpp"

#include "cell_decoder.hpp"
#include "cursor.hpp"

#include <sluice/support/pagination.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace bigquery {

namespace {

bool job_complete(const json::object& response) {
  const auto* complete = response.if_contains("jobComplete");
  return complete && complete->is_bool() && complete->get_bool();
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
  auto text = string_member(response, "totalRows");  // an int64 string on the wire
  return text.empty() ? -1 : std::stoll(text);
}

// Asks getQueryResults for the page at `page_token` again until the job is
// complete. getQueryResults itself waits up to timeoutMs; the short sleep
// only keeps a server that answers at once from being polled in a tight loop.
void wait_for_job(BigQueryApi& api, const JobRef& job, const std::string& page_token, const QueryOptions& options,
                  const sluice::ReadContext& ctx, json::object& response) {
  auto poll_delay = std::chrono::milliseconds(50);
  while (!job_complete(response)) {
    std::this_thread::sleep_for(poll_delay);
    poll_delay = std::min(poll_delay * 2, std::chrono::milliseconds(1000));
    if (ctx.cancelled()) throw sluice::Cancelled();
    response = api.query_results(job, page_token, options);
  }
}

}  // namespace

void read_stream(BigQueryApi& api, const Table& table, const std::string& project, const QueryOptions& options,
                 const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
  // The cursor and key columns are checked against the table before any
  // query is billed.
  std::optional<IncrementalRead> incremental;
  if (stream.incremental()) incremental = plan_incremental_read(stream, table.fields);
  const std::string sql = select_statement(TableId{project, stream.ns, stream.name},
                                           incremental ? incremental->condition : std::string(),
                                           incremental ? incremental->keyset.order_by : std::vector<std::string>());
  json::object response = api.start_query(
      query_request(sql, incremental ? incremental->parameters : std::vector<QueryParameter>(), options,
                    random_request_id()));
  const JobRef job = job_of(response, project, options);

  std::vector<Field> fields;
  int64_t done = 0;
  sluice::support::for_each_token_page(
      [&](const std::string& page_token) {
        if (!page_token.empty()) response = api.query_results(job, page_token, options);
        wait_for_job(api, job, page_token, options, ctx, response);
        if (fields.empty()) {
          const auto* schema = response.if_contains("schema");
          fields = parse_table_schema(schema ? *schema : json::value());
        }
        std::optional<json::object> last;
        if (const auto* rows = response.if_contains("rows"); rows && rows->is_array()) {
          for (const auto& row : rows->get_array()) {
            json::object record = decode_row(row, fields);
            ctx.emit(record);
            last = std::move(record);
            ++done;
          }
        }
        auto checkpoint = incremental && last ? checkpoint_after(*incremental, *last) : std::nullopt;
        if (checkpoint) {
          ctx.checkpoint(*checkpoint);
        } else {
          ctx.flush();
        }
        ctx.progress(done, total_rows(response));
        return string_member(response, "pageToken");
      },
      "jobs.getQueryResults on job " + job.job_id);
}

}  // namespace bigquery
