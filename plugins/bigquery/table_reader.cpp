#include "table_reader.hpp"

#include "cell_decoder.hpp"
#include "cursor.hpp"

#include <sluice/support/pagination.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace bigquery {

namespace {

std::string display(const sluice::ConfiguredStream& stream) { return stream.ns + "." + stream.name; }

// The cursor column of an incremental stream, checked against the table.
struct CursorPlan {
  std::string column;  // empty: no cursor (full refresh)
  FieldType type = FieldType::unknown;
  std::optional<CursorBound> bound;  // from the saved state
  std::string parameter_type;
};

CursorPlan plan_cursor(const sluice::ConfiguredStream& stream, const std::vector<Field>& table_fields) {
  CursorPlan plan;
  if (!stream.incremental()) return plan;
  const std::string who = display(stream);
  if (stream.cursor_field.size() != 1) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "stream " + who + ": incremental reads need a top-level cursor_field");
  }
  const Field* field = find_field(table_fields, stream.cursor_field[0]);
  if (!field) {
    throw sluice::Error(sluice::ErrorKind::config, "stream " + who + ": cursor_field " +
                                                       stream.cursor_field[0] + " is not a column of the table");
  }
  plan.column = field->name;
  plan.type = field->type;
  plan.parameter_type = cursor_parameter_type(*field, who);
  plan.bound = cursor_from_state(stream.state, plan.column, plan.parameter_type, who);
  return plan;
}

bool job_complete(const json::object& response) {
  const auto* complete = response.if_contains("jobComplete");
  return complete && complete->is_bool() && complete->get_bool();
}

std::string string_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
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
  // The cursor column's type is checked against the table before any query
  // is billed.
  const CursorPlan cursor = plan_cursor(stream, table.fields);

  const std::string sql =
      select_statement(TableId{project, stream.ns, stream.name}, cursor.column, cursor.bound.has_value());
  json::object response = api.start_query(query_request(sql, cursor.bound, options, random_request_id()));
  const JobRef job = job_of(response, project, options);

  std::vector<Field> fields;
  std::optional<std::string> last_cursor = cursor.bound ? std::optional(cursor.bound->value) : std::nullopt;
  int64_t done = 0;
  sluice::support::for_each_token_page(
      [&](const std::string& page_token) {
        if (!page_token.empty()) response = api.query_results(job, page_token, options);
        wait_for_job(api, job, page_token, options, ctx, response);
        if (fields.empty()) {
          const auto* schema = response.if_contains("schema");
          fields = parse_table_schema(schema ? *schema : json::value());
        }
        const Field* cursor_field = cursor.column.empty() ? nullptr : find_field(fields, cursor.column);
        if (const auto* rows = response.if_contains("rows"); rows && rows->is_array()) {
          for (const auto& row : rows->get_array()) {
            json::object record = decode_row(row, fields);
            if (cursor_field) {
              if (auto value = cursor_parameter_value(record.at(cursor_field->name), cursor.type)) last_cursor = value;
            }
            ctx.emit(record);
            ++done;
          }
        }
        if (cursor_field && last_cursor) {
          ctx.checkpoint(cursor_state(cursor.column, CursorBound{cursor.parameter_type, *last_cursor}));
        } else {
          ctx.flush();
        }
        ctx.progress(done, total_rows(response));
        return string_member(response, "pageToken");
      },
      "jobs.getQueryResults on job " + job.job_id);
}

}  // namespace bigquery
