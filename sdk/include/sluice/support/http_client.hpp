// HTTPS for connectors: keep-alive, gzip, timeouts, TLS always verified (system
// CAs plus ca_file), retries with jitter honouring Retry-After/X-RateLimit-Reset,
// classified failures (http_error.hpp), credentials from auth.hpp. Never logs
// headers or bodies; messages name method and URL without query. One per thread.
#pragma once

#include <sluice/support/http_error.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::support {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: https://host[:port]/path?query
  Headers headers;
  std::string body;
  std::string content_type;  // sent when the body is not empty
  bool authorize = true;     // false: do not ask the AuthProvider (token requests)
};

struct HttpResponse {
  int status = 0;
  Headers headers;   // names as received
  std::string body;  // decompressed
  std::string header(std::string_view name) const;  // first of that name (any case), or ""
};

struct RetryPolicy {
  int max_attempts = 6;                              // including the first
  std::chrono::milliseconds initial_backoff{500};    // doubled per attempt, with jitter
  std::chrono::milliseconds max_backoff{60'000};     // cap on one wait (computed or asked)
  std::chrono::milliseconds max_total{15 * 60'000};  // give up rather than wait past this
};

class HttpClient;

// Credentials: authorize() runs before each attempt of a request with
// `authorize` set; after a 401, invalidate() once, then the request is retried.
class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  virtual void authorize(HttpRequest& request, HttpClient& client) = 0;
  virtual void invalidate() {}
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::string ca_file;  // extra CAs (PEM) besides the system store; never unverified
  RetryPolicy retry;
  std::function<void(int level, std::string_view message)> log;  // retry notices (SLUICE_LOG_*)
  std::function<bool()> cancelled;  // asked between attempts and every 100 ms of a wait: true throws sluice::Cancelled
  // A retry rule the status cannot tell (403 rateLimitExceeded): transient or rate_limited retry; nullopt: default.
  std::function<std::optional<HttpFailure>(const HttpResponse&)> classify;
  std::string user_agent = "sluice";
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;  // injectable time:
  std::function<void(std::chrono::milliseconds)> sleep;  // retry waits (empty: sleep_for); tests never sleep
  std::function<void(int status, bool rate_limited)> on_answer;  // after each answer (FetchPool's limiter)
  std::function<void(const HttpResponse&)> on_response;  // each answer, before on_answer (its rate-limit headers)
};

// Options logging and polling cancellation through `logger`, which it borrows.
HttpOptions options_for(const Logger& logger);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;

  void set_auth(std::shared_ptr<AuthProvider> auth);
  const HttpOptions& options() const;

  HttpResponse send(HttpRequest request);  // with retries: the 2xx response, or throws HttpError

  boost::json::value get_json(const std::string& url, const Headers& headers = {});  // 2xx not JSON: retried
  // As get_json, the body checked but not parsed (for for_each_element).
  std::string get_json_text(const std::string& url, const Headers& headers = {});
  boost::json::value post_json(const std::string& url, const boost::json::value& body, const Headers& headers = {});
  boost::json::value post_form(const std::string& url, const Headers& fields, const Headers& headers = {},
                               bool authorize = true);

  int last_attempts() const;  // attempts the last request made (tests, diagnostics)

 private:
  struct State;  // options, credentials, connections (http_client.cpp)
  boost::json::value send_for_json(HttpRequest request);
  HttpResponse send_impl(HttpRequest request, bool expect_json, boost::json::value* parsed);
  std::unique_ptr<State> state_;
};

std::string url_encode(std::string_view text);    // RFC 3986: unreserved kept, rest %XX
std::string form_encode(const Headers& fields);   // "a=1&b=x%20y", each part encoded
std::string url_for_messages(std::string_view url);  // without query and fragment
std::string random_request_id();  // a random UUID (v4): an idempotency key for one request

}  // namespace sluice::support
