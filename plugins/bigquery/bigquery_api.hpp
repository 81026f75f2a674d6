// The BigQuery REST v2 calls the connector makes, over the SDK's HTTP client
// (retries with backoff and jitter, also for a 403 rateLimitExceeded; bearer
// tokens from the service account, renewed after a 401). Every
// failure becomes a sluice::Error through api_error.hpp, naming the call,
// the resource and, for permission errors, the service account.
// https://cloud.google.com/bigquery/docs/reference/rest
#pragma once

#include "query_request.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/fetcher.hpp>

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace bigquery {

struct Settings;

// A query job, as jobReference names it.
struct JobRef {
  std::string project;
  std::string job_id;
  std::string location;
};

class BigQueryApi {
 public:
  // Throws sluice::Error(config) for a malformed service account key.
  BigQueryApi(const Settings& settings, const sluice::Logger& log);
  ~BigQueryApi();
  BigQueryApi(const BigQueryApi&) = delete;
  BigQueryApi& operator=(const BigQueryApi&) = delete;

  // datasets.list, every page: the dataset ids of the project.
  std::vector<std::string> list_datasets();
  // tables.list, every page: the table ids of a dataset (tables, views, ...).
  std::vector<std::string> list_tables(const std::string& dataset);
  // tables.get: the Table resource (type, schema, ...).
  json::object get_table(const std::string& dataset, const std::string& table);
  // jobs.query: the QueryResponse's text (first page, or jobComplete false),
  // decoded by page_decoder.hpp: no DOM of its rows is built.
  std::string start_query(const json::object& request);
  // jobs.insert of a Job resource ({"jobReference", "configuration"}): the
  // Job as BigQuery returns it (a dry run's carries only statistics). A job
  // that already exists under the request's jobId (409 duplicate: an earlier
  // attempt of this same POST created it) is no error: {} is returned.
  json::object insert_job(const json::object& job);
  // jobs.get: the Job resource (status, statistics).
  json::object get_job(const JobRef& job);
  // jobs.getQueryResults: the text of the page at `page_token` (empty: the first).
  std::string query_results(const JobRef& job, const std::string& page_token, const QueryOptions& options);
  // jobs.getQueryResults of a complete job: the text of the page of at most
  // `max_rows` rows from row `start` (startIndex), on `client` (a FetchPool
  // worker's; nullptr: this API's own). Thread-safe with a client per thread.
  std::string query_results_at(const JobRef& job, size_t start, size_t max_rows, const QueryOptions& options,
                               sluice::support::HttpClient* client = nullptr);
  // Workers for result pages: this API's HTTP options and credentials, at
  // most `concurrency` requests at once.
  std::unique_ptr<sluice::support::FetchPool> result_pool(size_t concurrency);
  // jobs.cancel: asks BigQuery to stop the job (it may still finish). Sent
  // even after the host cancelled the read, which is when it is needed: on
  // a client of its own that ignores cancellation, two attempts at most.
  void cancel_job(const JobRef& job);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bigquery
