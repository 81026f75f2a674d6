#include "databricks_api.hpp"

#include "api_error.hpp"
#include "settings.hpp"

#include <sluice/support/auth.hpp>


namespace databricks {

namespace {

using sluice::support::HttpClient;
using sluice::support::HttpOptions;
using sluice::support::HttpRequest;
using sluice::support::HttpResponse;

std::shared_ptr<sluice::support::AuthProvider> make_auth(const Settings& settings) {
  if (!settings.token.empty()) return sluice::support::bearer_token_auth(settings.token);
  return sluice::support::databricks_m2m_auth(settings.endpoint.base_url + "/oidc/v1/token", settings.client_id,
                                              settings.client_secret);
}

HttpOptions http_options(const Settings& settings, const sluice::Logger& log) {
  HttpOptions options = sluice::support::options_for(log);
  options.ca_file = settings.endpoint.ca_file;
  options.user_agent = "sluice-databricks/1.0";
  // A POST may wait wait_timeout for the statement before answering: a
  // query's up to 50 s (the API's most), whatever wait_timeout_seconds says.
  options.read_timeout = std::chrono::seconds(50 + 30);
  return options;
}

// The cancel is sent when the read is being cancelled: its client must not
// give up because of that, and must not keep the sync long.
HttpOptions cleanup_options(const Settings& settings, const sluice::Logger& log) {
  HttpOptions options = http_options(settings, log);
  options.cancelled = nullptr;
  options.read_timeout = std::chrono::seconds(10);
  options.retry.max_attempts = 2;
  options.retry.max_backoff = std::chrono::seconds(1);
  return options;
}

HttpOptions adjusted(HttpOptions options, const std::function<void(HttpOptions&)>& adjust) {
  if (adjust) adjust(options);
  return options;
}

json::object parse_object(const std::string& body, const std::string& what) {
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": Databricks answered with a body that is not a JSON object");
  }
  return std::move(parsed.as_object());
}

int64_t integer_member(const json::object& object, const char* key, int64_t fallback = 0) {
  const auto* value = object.if_contains(key);
  if (value && value->is_int64()) return value->get_int64();
  if (value && value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  return fallback;
}

std::string state_of(const json::object& answer) {
  const auto* status = answer.if_contains("status");
  return status && status->is_object() ? string_member(status->get_object(), "state") : std::string();
}

ApiError statement_error(const json::object& answer) {
  ApiError error;
  error.status = 200;
  const auto* status = answer.if_contains("status");
  if (!status || !status->is_object()) return error;
  error.sql_state = string_member(status->get_object(), "sql_state");
  if (const auto* e = status->get_object().if_contains("error"); e && e->is_object()) {
    error.error_code = string_member(e->get_object(), "error_code");
    error.message = string_member(e->get_object(), "message");
    for (char& c : error.message) {
      if (c == '\n' || c == '\r') c = ' ';
    }
  }
  return error;
}

}  // namespace

std::string string_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

struct DatabricksApi::Impl {
  const Settings& settings;
  const sluice::Logger& log;
  std::shared_ptr<sluice::support::AuthProvider> auth;
  HttpClient http;
  HttpClient cleanup;

  Impl(const Settings& s, const sluice::Logger& l, const std::function<void(HttpOptions&)>& adjust)
      : settings(s),
        log(l),
        auth(make_auth(s)),
        http(adjusted(http_options(s, l), adjust)),
        cleanup(adjusted(cleanup_options(s, l), adjust)) {
    http.set_auth(auth);
    cleanup.set_auth(auth);
  }

  std::string how() const {
    return settings.token.empty() ? "service principal " + settings.client_id : "personal access token";
  }

  // One request; Databricks' refusals become errors in its own words.
  HttpResponse send(HttpClient& client, HttpRequest request, const std::string& what) const {
    request.headers.emplace_back("Accept", "application/json");
    try {
      return client.send(std::move(request));
    } catch (const sluice::support::HttpError& e) {
      // Network, 429 and 5xx after the retries, and answers not in
      // Databricks' error shape (the token endpoint's OAuth errors, a
      // proxy's page): their kind, the call named.
      ApiError error = parse_api_error(e.status(), e.body());
      if (e.status() == 0 || e.status() == 429 || e.status() >= 500 || (error.error_code.empty() && error.message.empty())) {
        throw sluice::Error(e.kind(), what + ": " + e.what());
      }
      throw to_error(error, what, how());
    }
  }

  json::object get(HttpClient& client, const std::string& url, const std::string& what) const {
    HttpRequest request;
    request.url = url;
    return parse_object(send(client, std::move(request), what).body, what);
  }

  std::string statement_url(const std::string& id) const {
    return settings.endpoint.base_url + "/api/2.0/sql/statements/" + sluice::support::url_encode(id);
  }
};

DatabricksApi::DatabricksApi(const Settings& settings, const sluice::Logger& log,
                           std::function<void(HttpOptions&)> adjust)
    : impl_(std::make_unique<Impl>(settings, log, adjust)) {}
DatabricksApi::~DatabricksApi() = default;

StatementResult DatabricksApi::execute(const Statement& statement, const std::string& what) {
  return execute(statement, what,
                 {impl_->settings.statement_timeout, std::chrono::seconds(0), [this] { return impl_->log.cancelled(); },
                  "statement_timeout_seconds"});
}

StatementResult DatabricksApi::execute(const Statement& statement, const std::string& what,
                                       const sql_common::WaitLimit& limit) {
  auto& impl = *impl_;
  sql_common::StatementWait wait(impl.http.options(), limit);  // the POST's own wait counts
  HttpRequest submit;
  submit.method = "POST";
  submit.url = impl.settings.endpoint.base_url + "/api/2.0/sql/statements";
  submit.body = json::serialize(statement_body(statement, impl.settings));
  submit.content_type = "application/json";
  json::object answer = parse_object(impl.send(impl.http, std::move(submit), what).body, what);
  const std::string id = string_member(answer, "statement_id");
  std::string state = state_of(answer);

  if (state == "PENDING" || state == "RUNNING") {
    try {
      while (state == "PENDING" || state == "RUNNING") {
        wait.pause(what);
        answer = impl.get(impl.http, impl.statement_url(id), what);
        state = state_of(answer);
      }
    } catch (...) {
      sql_common::cancel_at_source(impl.log, id, [&] { cancel(id); });
      throw;
    }
  }

  if (state == "FAILED") throw failed_statement_error(statement_error(answer), what);
  if (state == "CANCELED") {
    ApiError error = statement_error(answer);
    throw sluice::Error(sluice::ErrorKind::source, what + " was canceled on Databricks (statement " + id + ")" +
                                                       (error.message.empty() ? "" : ": " + error.message));
  }
  if (state == "CLOSED") {
    throw sluice::Error(sluice::ErrorKind::transient,
                        what + ": statement " + id + " is CLOSED: its results are no longer available");
  }
  if (state != "SUCCEEDED") {
    throw sluice::Error(sluice::ErrorKind::source, what + ": Databricks answered the statement state \"" + state + "\"");
  }

  StatementResult result;
  result.statement_id = id;
  const auto* manifest = answer.if_contains("manifest");
  if (!manifest || !manifest->is_object()) throw sluice::Error(sluice::ErrorKind::source, what + ": the result has no manifest");
  const auto& m = manifest->get_object();
  if (const auto* format = m.if_contains("format"); format && format->is_string() && format->get_string() != "JSON_ARRAY") {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the result is " + std::string(format->get_string()) +
                                                       ", not the JSON_ARRAY asked for");
  }
  if (const auto* truncated = m.if_contains("truncated"); truncated && truncated->is_bool() && truncated->get_bool()) {
    throw sluice::Error(sluice::ErrorKind::source,
                        what + ": Databricks truncated the result (manifest.truncated): rows would be missing");
  }
  const auto* schema = m.if_contains("schema");
  result.columns = parse_columns(schema && schema->is_object() && schema->get_object().contains("columns")
                                     ? schema->get_object().at("columns")
                                     : json::value());
  result.total_rows = integer_member(m, "total_row_count", -1);
  const int64_t total_chunks = integer_member(m, "total_chunk_count", 0);
  result.chunks.resize(static_cast<size_t>(std::max<int64_t>(total_chunks, 0)));
  if (const auto* chunks = m.if_contains("chunks"); chunks && chunks->is_array()) {
    for (const auto& entry : chunks->get_array()) {
      if (!entry.is_object()) continue;
      const auto& c = entry.get_object();
      const int64_t index = integer_member(c, "chunk_index", -1);
      if (index < 0 || index >= total_chunks) continue;
      result.chunks[static_cast<size_t>(index)] = {integer_member(c, "row_offset", -1), integer_member(c, "row_count", -1),
                                                   integer_member(c, "byte_count", -1)};
    }
  }
  if (auto* first = answer.if_contains("result"); first && first->is_object()) result.first = std::move(first->as_object());
  return result;
}

json::array DatabricksApi::all_rows(const Statement& statement, const std::string& what) {
  StatementResult result = execute(statement, what);
  json::array rows;
  json::object data = std::move(result.first);
  // At most one chunk per manifest entry: a link that never ends is refused.
  for (size_t index = 0, fetched = 0; index < result.chunks.size(); ++fetched) {
    if (auto* array = data.if_contains("data_array"); array && array->is_array()) {
      for (auto& row : array->as_array()) rows.push_back(std::move(row));
    }
    const int64_t next = integer_member(data, "next_chunk_index", -1);
    const std::string link = string_member(data, "next_chunk_internal_link");
    if (next < 0 && link.empty()) break;
    if (fetched + 1 >= result.chunks.size() || (next >= 0 && static_cast<size_t>(next) <= index)) {
      throw sluice::Error(sluice::ErrorKind::source, what + ": the chunks after chunk " + std::to_string(index) +
                                                         " do not end within the manifest's " +
                                                         std::to_string(result.chunks.size()));
    }
    const std::string where = what + " (chunk " + (next >= 0 ? std::to_string(next) : "after " + std::to_string(index)) + ")";
    if (!link.empty()) {
      // An absolute path joined to the workspace host: never another host,
      // which would be sent the workspace's Authorization header.
      if (link.front() != '/' || link.rfind("//", 0) == 0 || link.find_first_of(" \r\n\\") != std::string::npos) {
        throw sluice::Error(sluice::ErrorKind::source,
                            where + ": next_chunk_internal_link is not a path on the workspace host");
      }
      data = impl_->get(impl_->http, impl_->settings.endpoint.base_url + link, where);
    } else {
      data = chunk(impl_->http, result.statement_id, static_cast<size_t>(next), what);
    }
    index = next >= 0 ? static_cast<size_t>(next) : index + 1;
  }
  return rows;
}

json::object DatabricksApi::chunk(HttpClient& client, const std::string& statement_id, size_t index,
                                  const std::string& what) const {
  return impl_->get(client, impl_->statement_url(statement_id) + "/result/chunks/" + std::to_string(index),
                    what + " (chunk " + std::to_string(index) + ")");
}

void DatabricksApi::cancel(const std::string& statement_id) {
  HttpRequest request;
  request.method = "POST";
  request.url = impl_->statement_url(statement_id) + "/cancel";
  impl_->send(impl_->cleanup, std::move(request), "cancelling statement " + statement_id);
}

json::object DatabricksApi::get(const std::string& path_and_query, const std::string& what) {
  return impl_->get(impl_->http, impl_->settings.endpoint.base_url + path_and_query, what);
}

const HttpOptions& DatabricksApi::options() const { return impl_->http.options(); }
std::shared_ptr<sluice::support::AuthProvider> DatabricksApi::auth() const { return impl_->auth; }
std::string DatabricksApi::base_url() const { return impl_->settings.endpoint.base_url; }
const sluice::Logger& DatabricksApi::log() const { return impl_->log; }

}  // namespace databricks
