// A fake BigQuery REST v2 service with Google's OAuth token endpoint, as a
// FakeHandler for the SDK test kit's FakeServer. It follows the public
// reference on the wire:
//   token:        https://developers.google.com/identity/protocols/oauth2/service-account
//                 (POST /token: the test kit's GoogleTokenEndpoint)
//   datasets.list https://cloud.google.com/bigquery/docs/reference/rest/v2/datasets/list
//   tables.list   https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/list
//   tables.get    https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/get
//   jobs.query    https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
//   getQueryResults https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
//   jobs.cancel   https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel
//   jobs.insert   https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/insert (query jobs, dry runs)
//   jobs.get      https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/get
//   errors        https://cloud.google.com/bigquery/docs/error-messages
// Result rows use the wire encoding (every scalar a string; TIMESTAMP as
// integer microseconds with formatOptions.useInt64Timestamp, float seconds
// in E-notation without it). Queries run through fake_query.hpp; the job
// endpoints live in fake_bigquery_jobs.cpp.
#pragma once

#include "fake_query.hpp"
#include "fake_tables.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/google_token_endpoint.hpp>

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace bigquery_fake {

using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

class FakeBigQuery {
 public:
  FakeBigQuery(std::string project, std::string client_email, std::string public_key_pem);

  // --- set-up (before or between runs) ---
  void add_table(const std::string& dataset, const std::string& table_id, FakeTable table);
  void add_dataset(const std::string& dataset);
  // A table of `rows` rows whose row i is `wire_row(i)` (its {"f": [...]}
  // text, TIMESTAMP as integer microseconds), made when a page asks for it:
  // a million rows cost no memory. Each row counts `row_bytes` bytes
  // processed, spread evenly over the columns.
  void add_generated_table(const std::string& dataset, const std::string& table_id, json::array fields, size_t rows,
                           std::function<std::string(size_t)> wire_row, int64_t row_bytes);
  // The bytes a query over this table processes, whatever its columns hold
  // (a table far larger than the rows a test loads).
  void set_table_bytes(const std::string& dataset, const std::string& table_id, int64_t bytes);
  // How long each new query job (jobs.insert) runs: one whose jobTimeoutMs
  // is shorter is stopped when it would complete ("Job execution was
  // cancelled: Job timed out after N sec", reason stopped).
  void set_job_duration(std::chrono::milliseconds duration);
  // jobs.insert of a query job (not a dry run) creates the job, then never
  // answers (the connection is held until the server stops): a POST whose
  // answer is lost.
  void hang_job_inserts(bool hang = true);
  // The next query job (jobs.insert) reads its result from the cache:
  // cacheHit true, nothing billed.
  void answer_next_from_cache();
  // How a job over its maximumBytesBilled fails. By default jobs.insert
  // answers it DONE with its errorResult; with `running_polls` > 0 the
  // insert answers it RUNNING and getQueryResults answers jobComplete false
  // that many times, then the error with HTTP `status` (400 by default; the
  // status is not documented, and clients have reported 400 and 500).
  void set_over_cap_failure(int status, int running_polls);
  // The token endpoint's own URL, accepted as the JWT's aud (as is Google's).
  void set_token_url(std::string url);
  // Most rows in one result page, whatever maxResults asks.
  void set_page_rows(size_t rows);
  // Most bytes of row text in one result page (at least one row is sent):
  // BigQuery cuts getQueryResults pages at 20 MB and jobs.query's at 10 MB,
  // the defaults ("There is no minimum size per page").
  // https://cloud.google.com/bigquery/docs/paging-results
  // https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest (maxResults)
  void set_page_bytes(size_t query_bytes, size_t results_bytes);
  // Datasets or tables per list page.
  void set_list_page_size(size_t items);
  // Each new query job answers jobComplete=false this many times first
  // (negative: always, until jobs.cancel stops it).
  void set_not_ready_polls(int polls);
  // Calls needing this IAM permission get 403 accessDenied.
  void deny_permission(const std::string& permission);
  // Every access token issued so far stops working (401).
  void revoke_tokens();
  // Every token issued so far expires just before the `call`-th
  // getQueryResults call (1-based), as a one-hour token does mid-sync.
  void expire_tokens_at_result_call(int call);
  // The API refuses every token, even fresh ones (401), as for a deleted key.
  void set_tokens_accepted(bool accepted);
  // tables.list also names this table, but tables.get says 404 (it was
  // dropped in between).
  void add_phantom_table(const std::string& dataset, const std::string& table_id);
  // getQueryResults calls after the first `calls` answer 403 accessDenied
  // (negative: never), to interrupt a sync between pages.
  void fail_results_after(int calls);
  // getQueryResults asking for startIndex `start` answers 403 accessDenied;
  // `fail` false ends that.
  void fail_results_at(size_t start, bool fail = true);
  // getQueryResults asking for startIndex `start` answers 503 backendError
  // (which clients retry) until `others` pages at other start indexes have
  // been answered with rows: that page's rows come after theirs.
  void answer_results_after(size_t start, size_t others);
  // getQueryResults answers no rows from row `end` on, though totalRows
  // still counts them (a server that stops moving on).
  void end_results_at(size_t end);
  // getQueryResults asking for startIndex `start` is never answered (the
  // connection is held until the server stops); `hang` false ends that.
  void hang_results_at(size_t start, bool hang = true);
  // List and result pages asked for with a pageToken name that same token
  // as the next one, as a server stuck on one page would (false: page on).
  void repeat_page_tokens(bool repeat = true);
  // One-shot errors: each request takes the first unused rule whose text
  // occurs in its path, and gets that status with that reason.
  struct InjectedError {
    std::string path_contains;
    int status;
    std::string reason;
  };
  void inject_errors(std::vector<InjectedError> errors);
  size_t injected_errors_left() const;

  // --- observations ---
  std::vector<json::object> query_requests() const;  // jobs.query bodies
  std::vector<json::object> inserted_jobs() const;   // jobs.insert bodies (dry runs too)
  int tokens_issued() const;
  int result_calls() const;  // getQueryResults calls
  // The first row index of every getQueryResults page answered with rows,
  // in the order the fake answered them.
  std::vector<size_t> answered_pages() const;
  std::vector<std::string> cancelled_jobs() const;  // job ids, in the order jobs.cancel named them
  // Blocks until getQueryResults has been called `calls` times in all; false
  // when `limit` passes first (a guard against a hung test, not a timer).
  bool wait_for_result_calls(int calls, std::chrono::milliseconds limit) const;

  FakeResponse handle(const FakeRequest& request);

 private:
  struct Job {
    std::shared_ptr<const StoredTable> table;  // what `result` points into
    QueryResult result;
    std::string location;
    std::string sql;
    int not_ready = 0;  // negative: never ready
    bool cancelled = false;
    bool inserted = false;           // by jobs.insert (else jobs.query)
    json::object configuration;      // jobs.insert's, echoed by jobs.get
    int64_t processed = 0, billed = 0;
    bool cache_hit = false;
    // A job that failed (over maximumBytesBilled, past its jobTimeoutMs),
    // once its not-ready polls are done: its status.errorResult, and the
    // status getQueryResults answers with.
    json::object error;
    int error_status = 0;
  };
  // The Job resource (jobs.get's shape) as jobs.cancel returns it.
  json::object job_resource(const std::string& job_id, const Job& job) const;

  FakeResponse api(const FakeRequest& request, const std::vector<std::string>& segments);
  FakeResponse list_datasets(const FakeRequest& request);
  FakeResponse list_tables(const FakeRequest& request, const std::string& dataset);
  FakeResponse get_table(const std::string& dataset, const std::string& table);
  FakeResponse query(const FakeRequest& request);
  FakeResponse query_results(const FakeRequest& request, const std::string& job_id);
  FakeResponse cancel_job(const FakeRequest& request, const std::string& job_id);
  FakeResponse insert_job(const FakeRequest& request);
  FakeResponse get_job(const FakeRequest& request, const std::string& job_id);
  // The table a query names, or the error BigQuery answers (404, 403).
  std::optional<FakeResponse> find_table(const ParsedQuery& query, std::shared_ptr<const StoredTable>& table);
  // A dry run's Job: statementType and the bytes it would process.
  FakeResponse dry_run(const json::object& body, const std::string& sql, const json::array& parameters,
                       const std::string& location);
  // A page's body: `members` with the result's schema, job and totals,
  // then the rows from `offset`, at most `max_rows` and `max_bytes`.
  std::string result_page(json::object members, const std::string& job_id, const Job& job, size_t offset,
                          size_t max_rows, size_t max_bytes, bool int64_timestamps) const;
  std::optional<FakeResponse> denied(const std::string& permission, const std::string& message);

  mutable std::mutex mutex_;
  mutable std::condition_variable result_called_;
  std::string project_;
  sluice::testkit::GoogleTokenEndpoint tokens_;
  FakeDatasets datasets_;
  size_t page_rows_ = 100000, list_page_size_ = 50;
  size_t query_page_bytes_ = 10 << 20, results_page_bytes_ = 20 << 20;
  std::set<size_t> failing_starts_, hanging_starts_;
  size_t results_end_ = SIZE_MAX;
  std::map<size_t, size_t> held_starts_;  // start -> answered_pages_.size() to wait for
  std::vector<size_t> answered_pages_;
  int not_ready_polls_ = 0;
  std::set<std::string> denied_permissions_;
  bool tokens_accepted_ = true;
  std::set<std::pair<std::string, std::string>> phantom_tables_;
  int fail_results_after_ = -1;
  bool repeat_page_tokens_ = false;
  int expire_tokens_at_ = -1, result_requests_ = 0;
  std::vector<InjectedError> injected_;
  int result_calls_ = 0, next_job_ = 1;
  std::map<std::string, Job> jobs_;
  std::vector<json::object> query_requests_, inserted_jobs_;
  std::map<std::pair<std::string, std::string>, int64_t> table_bytes_;
  std::chrono::milliseconds job_duration_{0};
  bool next_from_cache_ = false, hang_job_inserts_ = false;
  int over_cap_status_ = 400, over_cap_running_polls_ = 0;
  std::vector<std::string> cancelled_jobs_;
};

// A request's numeric query parameter, or `fallback` when absent.
inline size_t number_or(const std::string& text, size_t fallback) {
  return text.empty() ? fallback : static_cast<size_t>(std::stoull(text));
}

// A Google API error body: {"error": {"code", "message", "errors": [...], "status"}}.
FakeResponse google_error(int status, const std::string& reason, const std::string& message);

}  // namespace bigquery_fake
