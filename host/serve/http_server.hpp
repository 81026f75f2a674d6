// The daemon's HTTP(S) front: routes, bearer-key authentication and roles,
// JSON errors, on Poco's HTTPServer (NetSSL for TLS). Every response body
// goes through the Redactor on its way out, a last guard behind the masking
// the handlers do.
#pragma once

#include "host/serve/api_types.hpp"
#include "host/serve/serve_config.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace sluice::host::serve {

class Store;

using Handler = std::function<ApiResponse(const ApiRequest&)>;

class Router {
 public:
  // `pattern`: "/v1/syncs/{id}/cancel". `needs`: the lowest role allowed, or
  // nullopt for a route open to anyone (only /healthz).
  void add(std::string method, const std::string& pattern, std::optional<Role> needs, Handler handler);
  // A route whose handler reads the body itself from ApiRequest::body_stream
  // (an upload of any size, in bounded memory), after the key is checked.
  void add_streaming(std::string method, const std::string& pattern, Role needs, Handler handler);
  // Whether `method` `path` goes to a streaming route.
  bool streams_body(const std::string& method, const std::string& path) const;

  struct Match {
    const Handler* handler = nullptr;
    std::optional<Role> needs;
    std::vector<std::string> params;
  };
  // Throws ApiError 404 (no such path) or 405 (path known, method not).
  Match match(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" matches any one segment
    std::optional<Role> needs;
    Handler handler;
    bool streams_body = false;
  };
  std::vector<Route> routes_;
};

// Checks "Authorization: Bearer slk_..." against the store. Every request
// reads the key's row (one primary-key lookup), so a key revoked on any host
// sharing the store is refused at once; only the PBKDF2 check is cached, by
// the SHA-256 of the token, for as long as the row's hash is unchanged.
class Authenticator {
 public:
  explicit Authenticator(Store& store) : store_(store) {}
  struct Identity {
    Role role;
    std::string key_id;
  };
  // Throws ApiError 401 for a missing, malformed or unknown key.
  Identity authenticate(const std::string& authorization_header);

 private:
  Store& store_;
  std::mutex mutex_;
  std::map<std::string, std::string> verified_;  // token digest -> the hash it matched
};

struct HttpCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> client_errors{0};
  std::atomic<uint64_t> server_errors{0};
};

class HttpServer {
 public:
  // Binds at once (port 0: the system picks one); serving starts with start().
  // Throws std::runtime_error naming the address, or the TLS file at fault.
  HttpServer(const ServeConfig& config, const Router& router, Authenticator& auth, HttpCounters& counters);
  ~HttpServer();
  int port() const { return port_; }
  bool tls() const { return tls_; }
  void start();
  // Stops accepting and waits for the requests in flight.
  void stop();

 private:
  int port_ = 0;
  bool tls_ = false;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace sluice::host::serve
