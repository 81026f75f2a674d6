// A scriptable local HTTPS server for connector tests: 127.0.0.1 only, a
// self-signed certificate generated at start with OpenSSL (its PEM is the CA
// file the client under test must trust), every request logged, and faults
// on demand. Write a fake API as a FakeHandler from the vendor's docs; queue
// one-off faults with inject().
#pragma once

#include "keys.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sluice::testkit {

struct FakeRequest {
  std::string method;
  std::string path;          // without the query string, percent-decoded
  std::string raw_path;      // as sent, still percent-encoded (tells %2F from /)
  std::string query_string;  // raw, without '?'
  std::multimap<std::string, std::string> query_params;  // decoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string query(const std::string& name, const std::string& fallback = "") const;
  bool has_query(const std::string& name) const;
  std::string header(const std::string& name) const;  // case-insensitive, "" when absent
  // Form fields of an application/x-www-form-urlencoded body.
  std::map<std::string, std::string> form() const;
};

enum class Fault {
  none,
  reset_mid_body,  // send the headers and half the body, then reset the connection
  truncate_body,   // announce the full Content-Length, send half, close cleanly
  delay,           // wait `delay` before answering (longer than the client's timeout)
  hang,            // never answer: hold the connection until the server is destroyed
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  Fault fault = Fault::none;
  std::chrono::milliseconds delay{0};
  // Run after the handler returned, outside the lock that serialises
  // handlers, before answering: a test holds a request here until it lets it
  // go, while other requests are handled.
  std::function<void()> hold;

  static FakeResponse json(int status, const boost::json::value& value);
  FakeResponse& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using FakeHandler = std::function<FakeResponse(const FakeRequest&)>;

enum class Scheme { https, http };

class FakeServer {
 public:
  explicit FakeServer(FakeHandler handler, Scheme scheme = Scheme::https);
  // An https server presenting a certificate made to `certificate` (another
  // host's name, an expired one: TLS refusal tests).
  FakeServer(FakeHandler handler, const CertificateSpec& certificate);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::string base_url() const;  // https://127.0.0.1:PORT
  std::string ca_file() const;   // PEM to trust ("" for http)
  int port() const;

  // Every request received so far, in order.
  std::vector<FakeRequest> requests() const;
  size_t request_count() const;
  // Served, in order, before the handler is asked again.
  void inject(FakeResponse response);

  struct Impl;  // defined in fake_server.cpp, where the request handlers use it

 private:
  FakeServer(FakeHandler handler, Scheme scheme, const CertificateSpec& certificate);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::testkit
