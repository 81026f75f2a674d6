#include "bigquery_api.hpp"
#include "json_members.hpp"

#include "api_error.hpp"
#include "settings.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/http_client.hpp>
#include <sluice/support/pagination.hpp>

namespace bigquery {

namespace {

// The scope every BigQuery method accepts; the IAM roles limit what it allows.
// https://developers.google.com/identity/protocols/oauth2/scopes#bigquery
constexpr const char* kScope = "https://www.googleapis.com/auth/bigquery";

using sluice::support::url_encode;

// Appends page[list][i][reference][id] for every entry of a list page
// (datasets.list: datasets / datasetReference / datasetId).
void collect_ids(const json::object& page, const char* list, const char* reference, const char* id,
                 std::vector<std::string>& out) {
  const auto* entries = page.if_contains(list);
  if (!entries || !entries->is_array()) return;
  for (const auto& entry : entries->get_array()) {
    const auto* object = entry.if_object();
    const auto* ref = object ? object->if_contains(reference) : nullptr;
    if (ref && ref->is_object()) out.push_back(string_member(ref->get_object(), id));
  }
}

// BigQuery's retryable refusals that the status alone does not tell (a 403
// rateLimitExceeded, a 400 backendError); quotaExceeded is not one of them.
// A job that failed for good (over maximumBytesBilled, stopped at its
// jobTimeoutMs) is never retried, whatever status carries it.
std::optional<sluice::support::HttpFailure> classify(const sluice::support::HttpResponse& response) {
  const ApiError error = parse_api_error(response.status, response.body);
  if (is_job_failure(error)) return sluice::support::HttpFailure::source;
  if (response.status == 429 || response.status >= 500 || !is_retryable(error)) return std::nullopt;
  return error.reason == "rateLimitExceeded" ? sluice::support::HttpFailure::rate_limited
                                             : sluice::support::HttpFailure::transient;
}

sluice::support::HttpOptions http_options(const Settings& settings, const sluice::Logger& log) {
  sluice::support::HttpOptions options = sluice::support::options_for(log);
  options.ca_file = settings.endpoint.ca_file;
  options.classify = classify;
  return options;
}

// The client for clean-up calls (jobs.cancel): they run because the read was
// cancelled, so cancellation must not stop them; short timeouts and one
// retry keep a stopping sync from hanging on them.
sluice::support::HttpOptions cleanup_options(const Settings& settings, const sluice::Logger& log) {
  sluice::support::HttpOptions options = http_options(settings, log);
  options.cancelled = nullptr;
  options.connect_timeout = std::chrono::seconds(5);
  options.read_timeout = std::chrono::seconds(10);
  options.retry.max_attempts = 2;
  options.retry.max_backoff = std::chrono::seconds(1);
  return options;
}

}  // namespace

struct BigQueryApi::Impl {
  const Settings& settings;
  sluice::support::HttpClient http;
  sluice::support::HttpClient cleanup;
  sluice::support::GoogleServiceAccount account;

  Impl(const Settings& s, const sluice::Logger& log)
      : settings(s),
        http(http_options(s, log)),
        cleanup(cleanup_options(s, log)),
        account(sluice::support::google_service_account_auth(s.credentials_json, std::vector<std::string>{kScope},
                                                             s.endpoint.token_url)) {
    http.set_auth(account.auth);
    cleanup.set_auth(account.auth);  // one token for both
  }

  std::string project_path() const {
    return settings.endpoint.base_url + "/bigquery/v2/projects/" + url_encode(settings.project_id);
  }

  // One call. BigQuery's own refusals get messages that say what to fix
  // (api_error.hpp); the SDK's other errors (token endpoint, network) keep
  // their kind and text.
  json::object call(const std::string& method, const std::string& url, const json::object& body,
                    const CallContext& context) {
    return call_on(http, method, url, body, context);
  }

  json::object call_on(sluice::support::HttpClient& client, const std::string& method, const std::string& url,
                       const json::object& body, const CallContext& context) {
    json::value answer = mapped([&] { return method == "POST" ? client.post_json(url, body) : client.get_json(url); },
                                context);
    if (!answer.is_object()) {
      throw sluice::Error(sluice::ErrorKind::source,
                          context.method + " on " + context.resource + " returned a body that is not a JSON object");
    }
    return std::move(answer.as_object());
  }

  // What `send` returns, its HttpError mapped as call() says.
  template <typename Send>
  static auto mapped(Send send, const CallContext& context) -> decltype(send()) {
    try {
      return send();
    } catch (const sluice::support::HttpError& e) {
      const ApiError error = parse_api_error(e.status(), e.body());
      if (error.from_api || e.status() == 404) throw to_error(error, context);
      throw;
    }
  }

  CallContext context(const char* method, std::string resource, const char* permission) const {
    return {method, std::move(resource), permission, account.client_email};
  }

  // Every item of a paged list (nextPageToken).
  template <typename Take>
  void each_page(const std::string& path, const CallContext& ctx, Take take) {
    sluice::support::for_each_token_page(
        [&](const std::string& page_token) {
          std::string target = path + "?maxResults=1000";
          if (!page_token.empty()) target += "&pageToken=" + url_encode(page_token);
          json::object page = call("GET", target, {}, ctx);
          take(page);
          return string_member(page, "nextPageToken");
        },
        ctx.method + " on " + ctx.resource);
  }
};

BigQueryApi::BigQueryApi(const Settings& settings, const sluice::Logger& log)
    : impl_(std::make_unique<Impl>(settings, log)) {}
BigQueryApi::~BigQueryApi() = default;

std::vector<std::string> BigQueryApi::list_datasets() {
  std::vector<std::string> ids;
  impl_->each_page(impl_->project_path() + "/datasets",
                   impl_->context("datasets.list", "project " + impl_->settings.project_id, "bigquery.datasets.get"),
                   [&](const json::object& page) { collect_ids(page, "datasets", "datasetReference", "datasetId", ids); });
  return ids;
}

std::vector<std::string> BigQueryApi::list_tables(const std::string& dataset) {
  std::vector<std::string> ids;
  impl_->each_page(impl_->project_path() + "/datasets/" + url_encode(dataset) + "/tables",
                   impl_->context("tables.list", "dataset " + impl_->settings.project_id + ":" + dataset,
                                  "bigquery.tables.list"),
                   [&](const json::object& page) { collect_ids(page, "tables", "tableReference", "tableId", ids); });
  return ids;
}

json::object BigQueryApi::get_table(const std::string& dataset, const std::string& table) {
  return impl_->call("GET", impl_->project_path() + "/datasets/" + url_encode(dataset) + "/tables/" + url_encode(table), {},
                     impl_->context("tables.get", "table " + impl_->settings.project_id + ":" + dataset + "." + table,
                                    "bigquery.tables.get"));
}

std::string BigQueryApi::start_query(const json::object& request) {
  sluice::support::HttpRequest post;
  post.method = "POST";
  post.url = impl_->project_path() + "/queries";
  post.headers.emplace_back("Accept", "application/json");
  post.body = json::serialize(request);
  post.content_type = "application/json";
  return impl_->mapped(
      [&] { return impl_->http.send(std::move(post)).body; },
      impl_->context("jobs.query", "project " + impl_->settings.project_id, "bigquery.jobs.create"));
}

json::object BigQueryApi::insert_job(const json::object& job) {
  const auto context = impl_->context("jobs.insert", "project " + impl_->settings.project_id, "bigquery.jobs.create");
  const auto* reference = job.if_contains("jobReference");
  const bool own_id = reference && reference->is_object() && reference->get_object().contains("jobId");
  json::value answer;
  try {
    answer = impl_->http.post_json(impl_->project_path() + "/jobs", job);
  } catch (const sluice::support::HttpError& e) {
    // Only a retried POST of a job with its own jobId can meet its first
    // attempt's job: 409 duplicate ("Already Exists: Job ...").
    if (own_id && e.status() == 409) return {};
    const ApiError error = parse_api_error(e.status(), e.body());
    if (error.from_api || e.status() == 404) throw to_error(error, context);
    throw;
  }
  if (!answer.is_object()) {
    throw sluice::Error(sluice::ErrorKind::source,
                        context.method + " on " + context.resource + " returned a body that is not a JSON object");
  }
  return std::move(answer.as_object());
}

json::object BigQueryApi::get_job(const JobRef& job) {
  std::string target = impl_->project_path() + "/jobs/" + url_encode(job.job_id);
  if (!job.location.empty()) target += "?location=" + url_encode(job.location);
  return impl_->call("GET", target, {}, impl_->context("jobs.get", "job " + job.job_id, "bigquery.jobs.get"));
}

namespace {

// jobs.getQueryResults for `job`, its rows as asked by `paging`.
std::string results_url(const std::string& base_url, const JobRef& job, const std::string& paging,
                        const QueryOptions& options) {
  std::string target = base_url + "/bigquery/v2/projects/" + url_encode(job.project) + "/queries/" +
                       url_encode(job.job_id) + "?" + paging + "&timeoutMs=" + std::to_string(options.wait_ms) +
                       "&formatOptions.useInt64Timestamp=true";
  if (!job.location.empty()) target += "&location=" + url_encode(job.location);
  return target;
}

}  // namespace

std::string BigQueryApi::query_results(const JobRef& job, const std::string& page_token, const QueryOptions& options) {
  std::string paging = "maxResults=" + std::to_string(options.page_size);
  if (!page_token.empty()) paging += "&pageToken=" + url_encode(page_token);
  const std::string target = results_url(impl_->settings.endpoint.base_url, job, paging, options);
  return impl_->mapped([&] { return impl_->http.get_json_text(target); },
                       impl_->context("jobs.getQueryResults", "job " + job.job_id, "bigquery.jobs.get"));
}

std::string BigQueryApi::query_results_at(const JobRef& job, size_t start, size_t max_rows, const QueryOptions& options,
                                          sluice::support::HttpClient* client) {
  // startIndex and pageToken are exclusive ways to name the first row: only
  // startIndex is sent.
  const std::string target = results_url(impl_->settings.endpoint.base_url, job,
                                         "startIndex=" + std::to_string(start) + "&maxResults=" + std::to_string(max_rows),
                                         options);
  auto& http = client ? *client : impl_->http;
  return impl_->mapped([&] { return http.get_json_text(target); },
                       impl_->context("jobs.getQueryResults", "job " + job.job_id, "bigquery.jobs.get"));
}

std::unique_ptr<sluice::support::FetchPool> BigQueryApi::result_pool(size_t concurrency) {
  sluice::support::FetchLimits limits;
  limits.concurrency = concurrency;
  return std::make_unique<sluice::support::FetchPool>(impl_->http.options(), impl_->account.auth,
                                                      impl_->settings.endpoint.base_url, limits);
}

void BigQueryApi::cancel_job(const JobRef& job) {
  std::string target = impl_->settings.endpoint.base_url + "/bigquery/v2/projects/" + url_encode(job.project) +
                       "/jobs/" + url_encode(job.job_id) + "/cancel";
  if (!job.location.empty()) target += "?location=" + url_encode(job.location);
  // Cancelling one's own job needs only what starting it did.
  impl_->call_on(impl_->cleanup, "POST", target, {},
                 impl_->context("jobs.cancel", "job " + job.job_id, "bigquery.jobs.create"));
}

}  // namespace bigquery
