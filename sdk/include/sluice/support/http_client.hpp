// HTTPS client for connectors: keep-alive connections, gzip, timeouts, TLS
// verified against the system CA store (plus an optional CA file), retries
// with exponential backoff and jitter that honour Retry-After and
// X-RateLimit-Reset, and every failure classified (http_error.hpp).
//
// Secrets: request headers and bodies are never logged; messages name the
// method and the URL without its query string. Authorization comes from an
// AuthProvider (auth.hpp), so connectors never build that header themselves.
//
// Threading: one HttpClient per thread (connections are not shared).
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
  Headers headers;  // names as received
  std::string body;  // decompressed
  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

struct RetryPolicy {
  int max_attempts = 6;                                  // including the first
  std::chrono::milliseconds initial_backoff{500};        // doubled per attempt, with jitter
  std::chrono::milliseconds max_backoff{60'000};         // cap on one wait (computed or asked by the server)
  std::chrono::milliseconds max_total{15 * 60'000};      // give up rather than wait past this
};

class HttpClient;

// Adds credentials to requests. HttpClient calls authorize() before each
// attempt of a request with `authorize` set, and invalidate() once when such
// a request is answered 401, then retries it with fresh credentials.
class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  virtual void authorize(HttpRequest& request, HttpClient& client) = 0;
  virtual void invalidate() {}
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  // PEM file of extra CAs to trust besides the system store (a private CA, a
  // proxy's, a test server's). Verification cannot be turned off.
  std::string ca_file;
  RetryPolicy retry;
  // Receives retry notices and warnings (level as in plugin.h SLUICE_LOG_*).
  std::function<void(int level, std::string_view message)> log;
  // Asked between attempts; true stops the request with sluice::Cancelled.
  std::function<bool()> cancelled;
  // Extra retry rule for responses the status alone does not tell, e.g. a
  // 403 whose body says rateLimitExceeded. Return the failure to retry as
  // (transient or rate_limited), or nullopt for the default rule.
  std::function<std::optional<HttpFailure>(const HttpResponse&)> classify;
  std::string user_agent = "sluice";
};

// Options whose log and cancellation go through a plugin's Logger (a
// ReadContext is one).
HttpOptions options_for(const Logger& logger);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void set_auth(std::shared_ptr<AuthProvider> auth);
  const HttpOptions& options() const { return options_; }

  // Sends with retries; returns the 2xx response or throws HttpError.
  HttpResponse send(HttpRequest request);

  // JSON conveniences. A 2xx body that is not valid JSON (a truncated
  // response) counts as a transient failure and is retried.
  boost::json::value get_json(const std::string& url, const Headers& headers = {});
  // As get_json, but the body's text, checked and not parsed: for
  // for_each_element (json_elements.hpp) and ReadContext::emit_serialized.
  std::string get_json_text(const std::string& url, const Headers& headers = {});
  boost::json::value post_json(const std::string& url, const boost::json::value& body, const Headers& headers = {});
  boost::json::value post_form(const std::string& url, const Headers& fields, const Headers& headers = {},
                               bool authorize = true);

  // How many attempts the last send() made (for tests and diagnostics).
  int last_attempts() const { return last_attempts_; }

 private:
  struct Connections;
  boost::json::value send_for_json(HttpRequest request);
  // expect_json: a 2xx body must be complete JSON (else retried), parsed
  // into *parsed unless it is null.
  HttpResponse send_impl(HttpRequest request, bool expect_json, boost::json::value* parsed);

  HttpOptions options_;
  std::shared_ptr<AuthProvider> auth_;
  std::unique_ptr<Connections> connections_;
  int last_attempts_ = 0;
};

// Percent-encodes a path segment or query value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view text);
// "a=1&b=x%20y" from pairs, each part encoded.
std::string form_encode(const Headers& fields);
// The URL without its query string and fragment, for messages and logs.
std::string url_for_messages(std::string_view url);

}  // namespace sluice::support
