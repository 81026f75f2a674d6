#include "snowflake_api.hpp"

#include "api_error.hpp"
#include "settings.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/http_client.hpp>

#include <chrono>

namespace snowflake {

namespace {

using sluice::support::HttpClient;
using sluice::support::HttpOptions;
using sluice::support::HttpRequest;
using sluice::support::HttpResponse;

// "333334": asynchronous execution in progress (a 202 QueryStatus).
constexpr const char* kInProgress = "333334";

// An OAuth access token, with the token type header the SQL API reads.
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating#using-oauth
class OAuthToken : public sluice::support::AuthProvider {
 public:
  explicit OAuthToken(std::string token) : token_(std::move(token)) {}
  void authorize(HttpRequest& request, HttpClient&) override {
    request.headers.emplace_back("Authorization", "Bearer " + token_);
    request.headers.emplace_back("X-Snowflake-Authorization-Token-Type", "OAUTH");
  }

 private:
  std::string token_;
};

std::shared_ptr<sluice::support::AuthProvider> make_auth(const Settings& settings) {
  if (!settings.oauth_token.empty()) return std::make_shared<OAuthToken>(settings.oauth_token);
  return sluice::support::snowflake_key_pair_auth(settings.account, settings.user, settings.private_key,
                                                  settings.passphrase);
}

HttpOptions http_options(const Settings& settings, const sluice::Logger& log) {
  HttpOptions options = sluice::support::options_for(log);
  options.ca_file = settings.endpoint.ca_file;
  options.user_agent = "sluice-snowflake/1.0";
  // A 408 with a statement handle is Snowflake cancelling the statement at
  // its timeout (QueryStatus 000630): final, asking again answers it again.
  // A proxy's bare 408 is still retried.
  options.classify = [](const HttpResponse& response) -> std::optional<sluice::support::HttpFailure> {
    if (response.status == 408 && response.body.find("\"statementHandle\"") != std::string::npos) {
      return sluice::support::HttpFailure::source;
    }
    return std::nullopt;
  };
  return options;
}

HttpOptions cleanup_options(const Settings& settings, const sluice::Logger& log) {
  HttpOptions options = http_options(settings, log);
  options.cancelled = nullptr;
  options.connect_timeout = std::chrono::seconds(5);
  options.read_timeout = std::chrono::seconds(10);
  options.retry.max_attempts = 2;
  options.retry.max_backoff = std::chrono::seconds(1);
  return options;
}

std::string string_member(const json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

HttpOptions adjusted(HttpOptions options, const std::function<void(HttpOptions&)>& adjust) {
  if (adjust) adjust(options);
  return options;
}

json::object parse_object(const std::string& body, const std::string& what) {
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": Snowflake answered with a body that is not a JSON object");
  }
  return std::move(parsed.as_object());
}

}  // namespace

struct SnowflakeApi::Impl {
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

  // One request; Snowflake's refusals become errors in its own words.
  // `timeout_name` names the statement's timeout in a 408's message.
  HttpResponse send(HttpClient& client, HttpRequest request, const std::string& what,
                    const std::string& timeout_name = "statement_timeout_seconds") const {
    request.headers.emplace_back("Accept", "application/json");
    try {
      return client.send(std::move(request));
    } catch (const sluice::support::HttpError& e) {
      // Network, 429 and 5xx after the retries: their kind, the call named
      // (the URL in the message has no query, so no partition number).
      if (e.status() == 0 || e.status() == 429 || e.status() >= 500) throw sluice::Error(e.kind(), what + ": " + e.what());
      throw to_error(parse_api_error(e.status(), e.body()), what, settings.user, settings.oauth_token.empty(),
                     timeout_name);
    }
  }

  HttpResponse get(HttpClient& client, const std::string& url, const std::string& what,
                   const std::string& timeout_name = "statement_timeout_seconds") const {
    HttpRequest request;
    request.url = url;
    return send(client, std::move(request), what, timeout_name);
  }

  std::string statement_url(const std::string& handle) const {
    return settings.endpoint.base_url + "/api/v2/statements/" + sluice::support::url_encode(handle);
  }
};

SnowflakeApi::SnowflakeApi(const Settings& settings, const sluice::Logger& log,
                           std::function<void(HttpOptions&)> adjust)
    : impl_(std::make_unique<Impl>(settings, log, adjust)) {}
SnowflakeApi::~SnowflakeApi() = default;

ResultSet SnowflakeApi::execute(const Statement& statement, const std::string& what) {
  // A grace of 30 s: Snowflake cancels the statement at its timeout and
  // says so (408), which tells more than Sluice giving up.
  return execute(statement, what,
                 {impl_->settings.statement_timeout, std::chrono::seconds(30), [this] { return impl_->log.cancelled(); },
                  "statement_timeout_seconds"});
}

ResultSet SnowflakeApi::execute(const Statement& statement, const std::string& what, const sql_common::WaitLimit& limit) {
  auto& impl = *impl_;
  sql_common::StatementWait wait(impl.http.options(), limit);  // the POST's own wait counts
  HttpRequest submit;
  submit.method = "POST";
  submit.url = impl.settings.endpoint.base_url + "/api/v2/statements?requestId=" + random_request_id();
  submit.body = json::serialize(statement_body(statement, impl.settings));
  submit.content_type = "application/json";
  HttpResponse response = impl.send(impl.http, std::move(submit), what, limit.name);
  json::object answer = parse_object(response.body, what);
  const std::string handle = string_member(answer, "statementHandle");

  if (response.status == 202) {
    // Still running: poll its status URL with backoff until it completes.
    std::string status_url = string_member(answer, "statementStatusUrl");
    status_url = status_url.empty() ? impl.statement_url(handle) : impl.settings.endpoint.base_url + status_url;
    try {
      while (response.status == 202) {
        if (string_member(answer, "code") != kInProgress && !string_member(answer, "code").empty()) {
          throw sluice::Error(sluice::ErrorKind::source, what + ": Snowflake answered 202 with code " +
                                                             string_member(answer, "code"));
        }
        wait.pause(what);
        response = impl.get(impl.http, status_url, what, limit.name);
        answer = parse_object(response.body, what);
      }
    } catch (...) {
      sql_common::cancel_at_source(impl.log, handle, [&] { cancel(handle); });
      throw;
    }
  }

  ResultSet result;
  result.handle = handle;
  const auto* meta = answer.if_contains("resultSetMetaData");
  if (!meta || !meta->is_object()) {
    throw sluice::Error(sluice::ErrorKind::source, what + ": the result has no resultSetMetaData");
  }
  const auto& metadata = meta->get_object();
  result.columns = parse_row_type(metadata.contains("rowType") ? metadata.at("rowType") : json::value());
  if (const auto* rows = metadata.if_contains("numRows"); rows && rows->is_int64()) result.rows = rows->get_int64();
  if (const auto* info = metadata.if_contains("partitionInfo"); info && info->is_array() && !info->get_array().empty()) {
    result.partitions = info->get_array().size();
  }
  if (auto* data = answer.if_contains("data"); data && data->is_array()) result.first = std::move(data->as_array());
  return result;
}

json::array SnowflakeApi::all_rows(const Statement& statement, const std::string& what, std::vector<Column>* columns) {
  ResultSet result = execute(statement, what);
  json::array rows = std::move(result.first);
  for (size_t i = 1; i < result.partitions; ++i) {
    for (auto& row : fetch_partition(impl_->http, result.handle, i, what)) rows.push_back(std::move(row));
  }
  if (columns) *columns = std::move(result.columns);
  return rows;
}

std::string SnowflakeApi::fetch_partition_text(HttpClient& client, const std::string& handle, size_t index,
                                              const std::string& what) const {
  const std::string where = what + " (partition " + std::to_string(index) + ")";
  HttpResponse response = impl_->get(client, impl_->statement_url(handle) + "?partition=" + std::to_string(index), where);
  if (response.status != 200) {
    throw sluice::Error(sluice::ErrorKind::source,
                        where + ": Snowflake answered HTTP " + std::to_string(response.status) + " instead of the data");
  }
  return std::move(response.body);
}

json::array SnowflakeApi::fetch_partition(HttpClient& client, const std::string& handle, size_t index,
                                          const std::string& what) const {
  const std::string where = what + " (partition " + std::to_string(index) + ")";
  json::object answer = parse_object(fetch_partition_text(client, handle, index, what), where);
  auto* data = answer.if_contains("data");
  if (!data || !data->is_array()) throw sluice::Error(sluice::ErrorKind::source, where + ": the answer holds no data array");
  return std::move(data->as_array());
}

void SnowflakeApi::cancel(const std::string& handle) {
  HttpRequest request;
  request.method = "POST";
  request.url = impl_->statement_url(handle) + "/cancel";
  impl_->send(impl_->cleanup, std::move(request), "cancelling statement " + handle);
}

const HttpOptions& SnowflakeApi::options() const { return impl_->http.options(); }
std::shared_ptr<sluice::support::AuthProvider> SnowflakeApi::auth() const { return impl_->auth; }
std::string SnowflakeApi::base_url() const { return impl_->settings.endpoint.base_url; }
const sluice::Logger& SnowflakeApi::log() const { return impl_->log; }

}  // namespace snowflake
