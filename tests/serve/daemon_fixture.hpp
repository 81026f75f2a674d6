// Drives a real `sluice serve` over HTTP on 127.0.0.1: starts the daemon
// with port 0, learns its port from its first stdout line (an observable
// event, no sleep), creates keys with `sluice serve keys create`, and sends
// requests with Poco's HTTPClientSession. Every JSON answer is checked
// against docs/api/sluice-v1.json as it arrives (the same checker that holds
// the fakes to the services' documents: tests/connectors/openapi), so each
// test is also a conformance test of the operations it calls.
#pragma once

#include "common/temp_dir.hpp"

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sluice::test {

struct HttpAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  // as the daemon sent them
  boost::json::value json() const;
};

class Daemon {
 public:
  // `settings` is merged into {"listen": {"port": 0}} and written to
  // serve.json in `dir` (the daemon's working folder, so its default store
  // and key files land there). Extra plugin folders: the in-tree plugins and
  // test-plugins are always given.
  explicit Daemon(const std::filesystem::path& dir, boost::json::object settings = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts it and waits for its "listening on" line. Throws with its stderr
  // if it exits first.
  void start();
  // SIGTERM, then reaps it; returns the wait status.
  int stop();
  // SIGKILL (a host that dies with no warning), then reaps it.
  void kill9();
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  int pid() const { return pid_; }
  const std::string& first_line() const { return first_line_; }
  // Everything the daemon wrote to stderr so far.
  std::string log() const;
  const std::filesystem::path& dir() const { return dir_; }
  std::string config_file() const { return (dir_ / "serve.json").string(); }

  // A new key of `role` ("admin", "operator", "viewer") via the CLI.
  std::string create_key(const std::string& role);

  // One request; `key` "" sends no Authorization header; the body goes as
  // application/json unless `headers` give another Content-Type. A JSON answer (or
  // an NDJSON stream, as the array of its lines) is
  // checked against the OpenAPI document (REQUIREd to conform) unless
  // `check` is false (routes the document rightly does not have, and every
  // call from a thread other than the test's: Catch's assertions are not
  // thread-safe).
  HttpAnswer request(const std::string& method, const std::string& path, const std::string& key,
                     const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                     bool check = true);
  HttpAnswer get(const std::string& path, const std::string& key) { return request("GET", path, key); }
  // A POST to `path` that sends only its headers, announcing a body of
  // `content_length` bytes, and reads the answer (a refusal on the length
  // alone; the daemon closes the connection after it). Not OpenAPI-checked.
  HttpAnswer announce(const std::string& path, const std::string& key, size_t content_length);
  // The value of one unlabelled series of GET /metrics ("sluice_queue_depth").
  double metric(const std::string& name, const std::string& key);
  HttpAnswer post(const std::string& path, const std::string& key, const boost::json::value& body) {
    return request("POST", path, key, boost::json::serialize(body));
  }

 private:
  std::filesystem::path dir_;
  int pid_ = -1;
  int port_ = 0;
  std::string first_line_;
};

// The connection body of the synthetic plugin into a SQLite file in `dir`.
// Polls `condition` (an exception counts as "not yet": a table the sync
// has not created) until it holds; FAILs naming `what` after 30 s. The
// wait is on the observable state, the 30 s only a failure bound.
void eventually(const std::function<bool()>& condition, const std::string& what);

// `text` gzip-compressed (a Content-Encoding: gzip body).
std::string gzip(const std::string& text);

boost::json::object synthetic_connection(const std::string& name, const std::filesystem::path& dir,
                                         const std::string& api_key = "s3cr3t-synthetic-key");

}  // namespace sluice::test
