#include <sluice/support/http_client.hpp>
#include <sluice/detail/tls_context.hpp>

#include "cancel_watch.hpp"
#include "json_validation.hpp"
#include "retry_delay.hpp"

#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace sluice::support {

namespace json = boost::json;

namespace {

// The status code as the server sent it. Poco keeps it in an enum whose
// values end at 511, and a server may send any three digits (753 was found by
// fuzzing): loading such an enum is undefined behaviour, so the code is read
// back from Poco's own rendering of the status line instead.
int status_code(const Poco::Net::HTTPResponse& response) {
  std::ostringstream line;
  response.write(line);  // "HTTP/1.1 753 Reason\r\n..."
  const std::string text = line.str();
  const size_t space = text.find(' ');
  int code = 0;
  for (size_t i = space + 1; space != std::string::npos && i < text.size() && i < space + 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return 0;
    code = code * 10 + (text[i] - '0');
  }
  return code;
}


bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A failed attempt: what went wrong, and the response if one came.
struct AttemptFailure {
  HttpFailure failure;
  std::string reason;  // "HTTP 503 Service Unavailable: ...", "timed out after 5s"
  std::optional<HttpResponse> response;
};

// Something readable from an error body, on one line: the vendor's message
// field when the body is JSON (Auth0, Google, Snowflake all have one), else
// the start of the text.
std::string body_excerpt(const std::string& body) {
  std::string text;
  json::error_code ec;
  auto parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto& o = parsed.get_object();
    const json::value* error = o.if_contains("error");
    if (error && error->is_object() && error->get_object().contains("message")) {
      error = error->get_object().if_contains("message");
    }
    for (const json::value* v : {o.if_contains("error_description"), o.if_contains("message"), error}) {
      if (v && v->is_string()) {
        text = std::string(v->get_string());
        break;
      }
    }
  }
  if (text.empty()) text = body.substr(0, 200);
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

std::string seconds_text(std::chrono::milliseconds d) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(d.count()) / 1000 << "s";
  return out.str();
}

std::string request_target(const std::string& url) {
  const auto authority = url.find("://");
  const auto slash = url.find_first_of("/?", authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return "/";
  std::string target = url.substr(slash, url.find('#', slash) - slash);
  return target.front() == '?' ? "/" + target : target;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

HttpOptions options_for(const Logger& logger) {
  HttpOptions options;
  options.log = [&logger](int level, std::string_view message) { logger.log(level, message); };
  options.cancelled = [&logger] { return logger.cancelled(); };
  return options;
}

// Everything a client holds: its options, credentials, and one keep-alive
// session per scheme://host:port.
struct HttpClient::State {
  HttpOptions options;
  std::shared_ptr<AuthProvider> auth;
  std::map<std::string, std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
  int last_attempts = 0;
  std::unique_ptr<detail::CancelWatch> watch;  // when options.cancelled is set
};

HttpClient::HttpClient(HttpOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  if (state_->options.cancelled) state_->watch = std::make_unique<detail::CancelWatch>(state_->options.cancelled);
}
HttpClient::~HttpClient() = default;

void HttpClient::set_auth(std::shared_ptr<AuthProvider> auth) { state_->auth = std::move(auth); }
const HttpOptions& HttpClient::options() const { return state_->options; }
int HttpClient::last_attempts() const { return state_->last_attempts; }

namespace {

Poco::Net::HTTPClientSession& session_for(const Poco::URI& uri, const HttpOptions& options,
                                          HttpClient& /*owner*/,
                                          std::map<std::string, std::unique_ptr<Poco::Net::HTTPClientSession>>& sessions) {
  const std::string key = uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  auto& slot = sessions[key];
  if (!slot) {
    if (uri.getScheme() == "https") {
      if (!options.ca_file.empty() && !std::filesystem::is_regular_file(options.ca_file)) {
        throw HttpError(HttpFailure::config, 0, "ca_file: cannot read " + options.ca_file);
      }
      Poco::Net::Context::Ptr tls = tls_client_context(uri.getHost(), options.ca_file);
      slot = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
    } else if (uri.getScheme() == "http") {
      slot = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    } else {
      throw HttpError(HttpFailure::config, 0, "unsupported URL scheme " + uri.getScheme() + "://");
    }
    slot->setKeepAlive(true);
    const Poco::Timespan connect(std::chrono::duration_cast<std::chrono::microseconds>(options.connect_timeout).count());
    const Poco::Timespan read(std::chrono::duration_cast<std::chrono::microseconds>(options.read_timeout).count());
    slot->setTimeout(connect, read, read);
  }
  return *slot;
}

}  // namespace

HttpResponse HttpClient::send(HttpRequest request) { return send_impl(std::move(request), false, nullptr); }

namespace {

HttpRequest json_get(const std::string& url, const Headers& headers) {
  HttpRequest request;
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

}  // namespace

json::value HttpClient::send_for_json(HttpRequest request) {
  json::value parsed;
  send_impl(std::move(request), true, &parsed);
  return parsed;
}

json::value HttpClient::get_json(const std::string& url, const Headers& headers) {
  return send_for_json(json_get(url, headers));
}

std::string HttpClient::get_json_text(const std::string& url, const Headers& headers) {
  return send_impl(json_get(url, headers), true, nullptr).body;
}

json::value HttpClient::post_json(const std::string& url, const json::value& body, const Headers& headers) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Accept", "application/json");
  request.body = json::serialize(body);
  request.content_type = "application/json";
  return send_for_json(std::move(request));
}

json::value HttpClient::post_form(const std::string& url, const Headers& fields, const Headers& headers,
                                  bool authorize) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.headers.emplace_back("Accept", "application/json");
  request.body = form_encode(fields);
  request.content_type = "application/x-www-form-urlencoded";
  request.authorize = authorize;
  return send_for_json(std::move(request));
}

namespace {

// Sends `http` and `body` on `session` and reads the whole answer into
// `response` and `raw`. From the moment the request is out until the body
// is read, `watch` (when not null) may shut the socket down on a cancel;
// then this throws Cancelled, whatever the interrupted read threw, and the
// session must be reset. A connect in progress is bounded by connect_timeout.
void exchange(Poco::Net::HTTPClientSession& session, Poco::Net::HTTPRequest& http, const std::string& body,
              Poco::Net::HTTPResponse& response, std::string& raw, detail::CancelWatch* watch) {
  session.sendRequest(http) << body;
  detail::CancelWatch::Armed armed;
  if (watch) armed = watch->arm(session.socket().impl()->sockfd());
  try {
    std::istream& in = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(in, raw);
    if (in.bad()) throw Poco::Net::NetException("connection lost while reading the body");
    if (response.hasContentLength() && static_cast<std::streamsize>(raw.size()) < response.getContentLength()) {
      throw Poco::Net::NetException("the body ended after " + std::to_string(raw.size()) + " of " +
                                    std::to_string(response.getContentLength()) + " bytes");
    }
  } catch (...) {
    if (armed.disarm()) throw Cancelled();
    throw;
  }
  if (armed.disarm()) throw Cancelled();
}

}  // namespace

// expect_json: a 2xx body must be complete JSON (else it is retried as a
// truncated response), parsed into *parsed unless that is null.
HttpResponse HttpClient::send_impl(HttpRequest request, bool expect_json, json::value* parsed) {
  const std::string where = request.method + " " + url_for_messages(request.url);
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception&) {
    throw HttpError(HttpFailure::config, 0, where + ": not a valid URL");
  }
  const auto started = state_->options.now();
  const RetryPolicy& policy = state_->options.retry;
  bool refreshed_credentials = false;
  state_->last_attempts = 0;

  for (int attempt = 1;; ++attempt) {
    if (state_->options.cancelled && state_->options.cancelled()) throw Cancelled();
    state_->last_attempts = attempt;
    HttpRequest sent = request;
    if (sent.authorize && state_->auth) state_->auth->authorize(sent, *this);

    AttemptFailure failed{HttpFailure::transient, "", std::nullopt};
    auto& session = session_for(uri, state_->options, *this, state_->sessions);
    try {
      // The path and query exactly as the caller encoded them: Poco::URI
      // decodes %2F into a path separator, which would change the resource.
      std::string target = request_target(sent.url);
      Poco::Net::HTTPRequest http(sent.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
      http.setKeepAlive(true);
      http.set("User-Agent", state_->options.user_agent);
      http.set("Accept-Encoding", "gzip");
      for (const auto& [name, value] : sent.headers) http.set(name, value);
      if (!sent.body.empty() || sent.method == "POST" || sent.method == "PUT") {
        if (!sent.content_type.empty()) http.setContentType(sent.content_type);
        http.setContentLength(static_cast<std::streamsize>(sent.body.size()));
      }
      Poco::Net::HTTPResponse http_response;
      std::string raw;
      exchange(session, http, sent.body, http_response, raw, state_->watch.get());
      HttpResponse response;
      response.status = status_code(http_response);
      for (const auto& [name, value] : http_response) response.headers.emplace_back(name, value);
      if (iequals(response.header("Content-Encoding"), "gzip")) {
        std::istringstream compressed(raw);
        Poco::InflatingInputStream inflater(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
        Poco::StreamCopier::copyToString(inflater, response.body);
        if (inflater.bad()) throw Poco::Net::NetException("the gzip body is corrupt or truncated");
      } else {
        response.body = std::move(raw);
      }
      if (!http_response.getKeepAlive()) session.reset();

      const int status = response.status;
      const bool ok = status >= 200 && status < 300;
      // How a non-2xx answer counts: the connector's classifier first, then
      // the status. (A plain enum, not an optional: GCC 12 at -O2 warns that
      // an optional's payload "may be used uninitialized" here.)
      HttpFailure failure = HttpFailure::transient;
      if (!ok) {
        std::optional<HttpFailure> custom;
        if (state_->options.classify) custom = state_->options.classify(response);
        failure = custom ? *custom : classify_status(status);
      }
      if (state_->options.on_response) state_->options.on_response(response);
      if (state_->options.on_answer) {
        state_->options.on_answer(status, !ok && failure == HttpFailure::rate_limited);
      }
      if (status >= 200 && status < 300) {
        if (!expect_json) return response;
        std::optional<std::string> invalid;
        if (parsed) {
          json::error_code ec;
          json::parse_options options;
          options.max_depth = detail::kMaxJsonDepth;
          *parsed = json::parse(response.body, ec, {}, options);
          if (ec) invalid = ec.message();
        } else {
          invalid = detail::json_syntax_error(response.body);
        }
        if (!invalid) return response;
        failed = {HttpFailure::transient, "the response is not complete JSON (" + *invalid + ")", response};
      } else if (status == 401 && sent.authorize && state_->auth && !refreshed_credentials) {
        // Expired or revoked token: fetch a fresh one once, without spending
        // an attempt.
        state_->auth->invalidate();
        refreshed_credentials = true;
        --attempt;
        continue;
      } else {
        std::string reason = "HTTP " + std::to_string(status) + " " + http_response.getReason();
        const std::string excerpt = body_excerpt(response.body);
        if (!excerpt.empty()) reason += ": " + excerpt;
        if (failure != HttpFailure::transient && failure != HttpFailure::rate_limited) {
          throw HttpError(failure, status, where + ": " + reason, response.body);
        }
        failed = {failure, reason, response};
      }
    } catch (const HttpError&) {
      throw;
    } catch (const Cancelled&) {
      session.reset();  // its socket is shut down
      throw;
    } catch (const Poco::TimeoutException&) {
      session.reset();
      failed = {HttpFailure::transient, "no response within " + seconds_text(state_->options.read_timeout), std::nullopt};
    } catch (const Poco::Net::SSLException& e) {
      // A certificate the client does not trust will not become trusted by
      // retrying: stop with a config error that says what to configure.
      session.reset();
      throw HttpError(HttpFailure::config, 0,
                      where + ": TLS verification failed (" + e.displayText() +
                          "); if the server uses a private CA, set ca_file to its PEM");
    } catch (const Poco::Exception& e) {
      session.reset();
      failed = {HttpFailure::transient, "connection error: " + e.displayText(), std::nullopt};
    } catch (const std::ios_base::failure& e) {
      session.reset();
      failed = {HttpFailure::transient, std::string("connection error: ") + e.what(), std::nullopt};
    }

    // Retryable: wait (as asked, or backing off) unless the budget is spent.
    const int status = failed.response ? failed.response->status : 0;
    auto give_up = [&](const std::string& why) {
      throw HttpError(failed.failure, status,
                      where + ": " + failed.reason + " (" + why + ")", failed.response ? failed.response->body : "");
    };
    if (attempt >= policy.max_attempts) give_up("gave up after " + std::to_string(attempt) + " attempts");
    auto delay = detail::backoff_delay(policy, attempt);
    if (failed.response) {
      if (auto asked = detail::server_delay(*failed.response, state_->options.now())) {
        if (*asked > policy.max_backoff) give_up("the server asks to wait " + seconds_text(*asked) + ", longer than allowed");
        delay = std::max(delay, *asked);
      }
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(state_->options.now() - started);
    if (elapsed + delay > policy.max_total) give_up("retry time budget of " + seconds_text(policy.max_total) + " spent");
    if (state_->options.log) {
      state_->options.log(SLUICE_LOG_WARN, where + ": " + failed.reason + "; retrying in " + seconds_text(delay) +
                                        " (attempt " + std::to_string(attempt + 1) + " of " +
                                        std::to_string(policy.max_attempts) + ")");
    }
    // In steps of at most 100 ms, so a cancel is seen within one.
    const auto wake = state_->options.now() + delay;
    for (auto now = state_->options.now(); now < wake; now = state_->options.now()) {
      if (state_->options.cancelled && state_->options.cancelled()) throw Cancelled();
      const auto step = std::min(std::chrono::ceil<std::chrono::milliseconds>(wake - now), std::chrono::milliseconds(100));
      if (state_->options.sleep) state_->options.sleep(step);
      else std::this_thread::sleep_for(step);
    }
  }
}

}  // namespace sluice::support
