#include "host/serve/http_server.hpp"
#include "host/serve/serve_log.hpp"

#include "host/config/secrets.hpp"
#include "host/serve/secret_box.hpp"
#include "host/serve/store.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <iostream>
#include <sstream>

namespace sluice::host::serve {

namespace {

// Bodies above this are refused (413) before they are read whole; the
// ingest routes take the larger ingest.max_request_bytes.
constexpr std::streamsize kMaxBody = 4 << 20;
constexpr std::string_view kIngestPrefix = "/v1/ingest/";

// "4 MiB", or a number of bytes.
std::string size_text(std::streamsize bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

void count(HttpCounters& counters, int status) {
  ++counters.requests;
  if (status >= 500) ++counters.server_errors;
  else if (status >= 400) ++counters.client_errors;
}

// ResponseStream on Poco's response: chunked transfer, each write flushed
// as one chunk; a failed write (the client went away) ends the stream.
class ChunkedStream : public ResponseStream {
 public:
  ChunkedStream(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                HttpCounters& counters)
      : request_(request), response_(response), counters_(counters) {}

  void start(int status, const std::string& content_type,
             const std::map<std::string, std::string>& headers) override {
    count(counters_, status);
    response_.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response_.setContentType(content_type);
    response_.setChunkedTransferEncoding(true);
    for (const auto& [name, value] : headers) response_.set(name, value);
    out_ = &response_.send();
    out_->flush();
    gone_ = !out_->good();
  }
  bool started() const override { return out_ != nullptr; }
  bool write(std::string_view bytes) override {
    if (!out_ || gone_) return false;
    const std::string text = Redactor::instance().apply(bytes);
    try {
      out_->write(text.data(), static_cast<std::streamsize>(text.size()));
      out_->flush();
    } catch (const std::exception&) {
      out_->setstate(std::ios::badbit);
    }
    gone_ = !out_->good();
    return !gone_;
  }
  int client_socket() const override {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request_);
    return impl ? static_cast<int>(impl->socket().impl()->sockfd()) : -1;
  }

 private:
  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  HttpCounters& counters_;
  std::ostream* out_ = nullptr;
  bool gone_ = false;
};

class ApiHandler : public Poco::Net::HTTPRequestHandler {
 public:
  ApiHandler(const Router& router, Authenticator& auth, HttpCounters& counters, std::streamsize ingest_max_body)
      : router_(router), auth_(auth), counters_(counters), ingest_max_body_(ingest_max_body) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ApiResponse answer;
    std::vector<std::pair<std::string, std::string>> headers;  // an error's own (Retry-After)
    try {
      answer = dispatch(request);
      if (answer.stream) {
        ChunkedStream stream(request, response, counters_);
        try {
          answer.stream(stream);
          return;
        } catch (const std::exception& e) {
          if (!stream.started()) throw;
          // Too late for a status: the body just ends, without its last line.
          log_line("sluice serve: internal error while streaming " + request.getMethod() + " " +
                   request.getURI() + ": " + e.what());
          return;
        }
      }
    } catch (const ApiError& e) {
      answer = ApiResponse::json(e.status(), e.body());
      headers = e.headers();
    } catch (const std::exception& e) {
      log_line("sluice serve: internal error on " + request.getMethod() + " " + request.getURI() + ": " + e.what());
      answer = ApiResponse::json(500, ApiError(500, "internal", "internal error (see the daemon's log)").body());
    }
    count(counters_, answer.status);
    const std::string body = Redactor::instance().apply(answer.body);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (!keep_alive_) response.setKeepAlive(false);
    for (const auto& [name, value] : headers) response.set(name, value);
    response.setContentType(answer.content_type);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  ApiResponse dispatch(Poco::Net::HTTPServerRequest& request) {
    ApiRequest api;
    api.method = request.getMethod();
    Poco::URI uri;
    try {
      uri = Poco::URI(request.getURI());
    } catch (const std::exception&) {
      throw ApiError(400, "bad_request", "the request target is not a valid URI");
    }
    api.path = uri.getPath();
    for (const auto& [name, value] : uri.getQueryParameters()) api.query[name] = value;
    for (const auto& [name, value] : request) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      api.headers[lower] = value;
    }
    if (router_.streams_body(api.method, api.path)) return dispatch_streaming(request, api);
    // The body is read whole before anything may refuse the request: bytes
    // left unread would be taken for the next request on a kept-alive
    // connection.
    const std::streamsize max_body = api.path.rfind(kIngestPrefix, 0) == 0 ? ingest_max_body_ : kMaxBody;
    const ApiError too_large(413, "too_large", "the request body is larger than " + size_text(max_body));
    if (request.getContentLength() > max_body) {
      keep_alive_ = false;
      throw too_large;
    }
    // A request with neither Content-Length nor chunked encoding has no body
    // (RFC 9112, 6.3): Poco would read it to the connection's end, so a
    // `curl -X POST` without data hung until the receive timeout.
    const bool has_body = request.hasContentLength() || request.getChunkedTransferEncoding();
    std::istream& in = request.stream();
    char buffer[8192];
    while (has_body && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
      api.body.append(buffer, static_cast<size_t>(in.gcount()));
      if (static_cast<std::streamsize>(api.body.size()) > max_body) {
        keep_alive_ = false;
        throw too_large;
      }
    }
    Router::Match match = router_.match(api.method, api.path);
    authorize(request, match, api);
    return (*match.handler)(api);
  }

  void authorize(Poco::Net::HTTPServerRequest& request, Router::Match& match, ApiRequest& api) {
    api.params = std::move(match.params);
    if (match.needs) {
      Authenticator::Identity who = auth_.authenticate(request.get("Authorization", ""));
      if (!role_allows(who.role, *match.needs)) {
        throw ApiError(403, "forbidden",
                       "this needs " + role_needed(*match.needs) + "; the key has " + std::string(to_string(who.role)));
      }
      api.role = who.role;
      api.key_id = who.key_id;
    }
  }

  // An upload: the key is checked before a byte of the body is read, and
  // the handler reads it. A body not read to its end (a refusal, an upload
  // that stopped) closes the connection after the answer, so its rest is
  // never taken for a next request.
  ApiResponse dispatch_streaming(Poco::Net::HTTPServerRequest& request, ApiRequest& api) {
    const bool has_body = request.hasContentLength() || request.getChunkedTransferEncoding();
    std::istringstream empty;
    std::istream& in = has_body ? request.stream() : empty;
    // A refusal or a stop reads on up to kMaxBody of what is left, so that a
    // client still sending a small upload reads the answer instead of a
    // reset connection; a body declared larger is not waited for.
    const bool drain = request.getContentLength() <= kMaxBody;  // -1: chunked
    auto finish_body = [&] {
      char buffer[8192];
      std::streamsize left = drain ? kMaxBody : 0;
      while (left > 0 && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) left -= in.gcount();
      if (!in.eof()) keep_alive_ = false;
    };
    try {
      Router::Match match = router_.match(api.method, api.path);
      authorize(request, match, api);
      api.body_stream = &in;
      ApiResponse answer = (*match.handler)(api);
      finish_body();
      return answer;
    } catch (const ApiError& e) {
      // A 413 was for the size: the rest is not waited for.
      try {
        if (e.status() == 413) keep_alive_ = false;
        else finish_body();
      } catch (const std::exception&) {
        keep_alive_ = false;
      }
      throw;
    } catch (...) {
      keep_alive_ = false;
      throw;
    }
  }

  const Router& router_;
  Authenticator& auth_;
  HttpCounters& counters_;
  std::streamsize ingest_max_body_;
  bool keep_alive_ = true;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const Router& router, Authenticator& auth, HttpCounters& counters, std::streamsize ingest_max_body)
      : router_(router), auth_(auth), counters_(counters), ingest_max_body_(ingest_max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new ApiHandler(router_, auth_, counters_, ingest_max_body_);
  }

 private:
  const Router& router_;
  Authenticator& auth_;
  HttpCounters& counters_;
  std::streamsize ingest_max_body_;
};

}  // namespace

void Router::add(std::string method, const std::string& pattern, std::optional<Role> needs, Handler handler) {
  routes_.push_back({std::move(method), split_path(pattern), needs, std::move(handler)});
}

void Router::add_streaming(std::string method, const std::string& pattern, Role needs, Handler handler) {
  routes_.push_back({std::move(method), split_path(pattern), needs, std::move(handler), true});
}

bool Router::streams_body(const std::string& method, const std::string& path) const {
  try {
    const Match found = match(method, path);
    for (const auto& route : routes_) {
      if (&route.handler == found.handler) return route.streams_body;
    }
  } catch (const ApiError&) {
  }
  return false;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  const std::vector<std::string> segments = split_path(path);
  bool path_known = false;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool same = true;
    for (size_t i = 0; i < segments.size() && same; ++i) {
      const std::string& want = route.segments[i];
      if (!want.empty() && want.front() == '{') params.push_back(segments[i]);
      else same = want == segments[i];
    }
    if (!same) continue;
    path_known = true;
    if (route.method == method) return {&route.handler, route.needs, std::move(params)};
  }
  if (path_known) throw ApiError(405, "method_not_allowed", method + " is not allowed on " + path);
  throw ApiError(404, "not_found", "no such route: " + path);
}

Authenticator::Identity Authenticator::authenticate(const std::string& header) {
  if (header.empty()) {
    throw ApiError(401, "unauthenticated", "missing API key: send the header Authorization: Bearer <key>");
  }
  if (header.rfind("Bearer ", 0) != 0) {
    throw ApiError(401, "unauthenticated", "the Authorization header must be Bearer <key>");
  }
  const std::string token = header.substr(7);
  const ApiError unknown(401, "unauthenticated", "unknown or revoked API key");
  auto presented = parse_api_key(token);
  if (!presented) throw unknown;
  auto row = store_.key(presented->id);  // nullopt once revoked
  if (!row) throw unknown;
  auto role = parse_role(row->role);
  if (!role) throw unknown;
  const std::string digest = sha256_hex(token);
  bool known = false;
  {
    std::lock_guard lock(mutex_);
    auto it = verified_.find(digest);
    known = it != verified_.end() && it->second == row->hash;
  }
  if (!known) {
    if (!verify_api_key(presented->secret, row->salt, row->hash)) throw unknown;
    std::lock_guard lock(mutex_);
    verified_[digest] = row->hash;
  }
  return Identity{*role, row->id};
}

HttpServer::HttpServer(const ServeConfig& config, const Router& router, Authenticator& auth, HttpCounters& counters) {
  Poco::Net::SocketAddress address(config.listen_host, static_cast<Poco::UInt16>(config.listen_port));
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  try {
    if (!config.tls_certificate.empty()) {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, config.tls_private_key.string(), config.tls_certificate.string(), "",
          Poco::Net::Context::VERIFY_NONE);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
      tls_ = true;
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + address.toString() + ": " + e.displayText());
  }
  port_ = socket->address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(16);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(router, auth, counters, static_cast<std::streamsize>(config.ingest_max_request_bytes)), *socket, params);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() { server_->start(); }

void HttpServer::stop() {
  if (server_) server_->stopAll(false);
}

}  // namespace sluice::host::serve
