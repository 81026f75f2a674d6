// The HTTP client against the fake server's faults: how many attempts, what
// outcome, which error kind, and that nothing secret reaches the logs.
#include "support_test_helpers.hpp"
#include "common/temp_dir.hpp"

#include <sluice/support/auth.hpp>

#include <Poco/DeflatingStream.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <sstream>

using namespace sluice;
using namespace sluice::support;
using sluice::test::LoggedClient;
using testkit::CertificateSpec;
using testkit::Fault;
using testkit::FakeRequest;
using testkit::FakeResponse;
using testkit::FakeServer;
namespace json = boost::json;

namespace {

const std::string kSecretToken = "tok-SECRET-4242";

FakeResponse ok(const FakeRequest&) { return FakeResponse::json(200, json::object{{"ok", true}}); }

FakeResponse status(int code, std::string body = R"({"message":"try later"})") {
  FakeResponse r;
  r.status = code;
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST_CASE("a 2xx JSON answer comes back parsed after one attempt, over verified TLS") {
  FakeServer server(ok);
  LoggedClient c(server);
  auto value = c.client->get_json(server.base_url() + "/v1/things?page=0");
  c.client->get_json(server.base_url() + "/v1/" + url_encode("a/b c") + "?q=" + url_encode("x&y"));
  CHECK(value.at("ok").as_bool());
  CHECK(c.client->last_attempts() == 1);
  REQUIRE(server.request_count() == 2);
  CHECK(server.requests()[0].path == "/v1/things");
  CHECK(server.requests()[1].path == "/v1/a/b c");
  CHECK(server.requests()[1].raw_path == "/v1/a%2Fb%20c");
  CHECK(server.requests()[1].query("q") == "x&y");
  CHECK(server.requests()[0].query("page") == "0");
  CHECK(server.requests()[0].header("Accept-Encoding") == "gzip");
}

namespace {

// A clock that only moves when the client waits: tests see exactly how long
// it waited, and never sleep.
struct FakeClock {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::chrono::milliseconds waited{0};
  // Options for a client of `server` on this clock, logging into `logs`.
  HttpOptions options(const FakeServer& server, std::vector<std::string>& logs) {
    HttpOptions options;
    options.ca_file = server.ca_file();
    options.retry.initial_backoff = std::chrono::milliseconds(10);
    options.log = [&logs](int, std::string_view line) { logs.emplace_back(line); };
    options.now = [this] { return now; };
    options.sleep = [this](std::chrono::milliseconds step) {
      now += step;
      waited += step;
    };
    return options;
  }
};

}  // namespace

TEST_CASE("429 with Retry-After waits as asked, then succeeds") {
  FakeServer server(ok);
  server.inject(status(429).with_header("Retry-After", "7"));
  FakeClock clock;
  std::vector<std::string> logs;
  HttpClient client(clock.options(server, logs));
  client.get_json(server.base_url() + "/x");
  CHECK(clock.waited >= std::chrono::seconds(7));
  CHECK(clock.waited < std::chrono::milliseconds(7'100));
  CHECK(client.last_attempts() == 2);
  CHECK(server.request_count() == 2);
  REQUIRE(logs.size() == 1);
  CHECK_THAT(logs[0], Catch::Contains("HTTP 429") && Catch::Contains("retrying in 7"));
}

TEST_CASE("429 with X-RateLimit-Reset waits until the reset time") {
  FakeServer server(ok);
  FakeClock clock;
  std::vector<std::string> logs;
  HttpClient client(clock.options(server, logs));
  const auto reset = std::chrono::duration_cast<std::chrono::seconds>(clock.now.time_since_epoch()).count() + 20;
  server.inject(status(429).with_header("X-RateLimit-Reset", std::to_string(reset)));
  client.get_json(server.base_url() + "/x");
  CHECK(clock.waited >= std::chrono::seconds(19));
  CHECK(clock.waited <= std::chrono::seconds(21));
  CHECK(server.request_count() == 2);
}

TEST_CASE("a server asking to wait longer than allowed fails at once as rate_limited") {
  FakeServer server(ok);
  server.inject(status(429).with_header("Retry-After", "3600"));
  LoggedClient c(server);
  try {
    c.client->get_json(server.base_url() + "/x");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::rate_limited);
    CHECK(e.kind() == ErrorKind::rate_limited);
    CHECK(std::string(e.what()).find("longer than allowed") != std::string::npos);
  }
  CHECK(server.request_count() == 1);
}

TEST_CASE("500 and 503 are retried with backoff until an answer comes") {
  FakeServer server(ok);
  server.inject(status(500));
  server.inject(status(503));
  LoggedClient c(server);
  CHECK(c.client->get_json(server.base_url() + "/x").at("ok").as_bool());
  CHECK(c.client->last_attempts() == 3);
  CHECK(server.request_count() == 3);
}

TEST_CASE("a 5xx that persists exhausts the attempts and is a transient error naming the request") {
  FakeServer server([](const FakeRequest&) { return status(503, R"({"message":"overloaded"})"); });
  LoggedClient c(server, 3);
  try {
    c.client->get_json(server.base_url() + "/api/v2/users?q=secret-query");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::transient);
    CHECK(e.status() == 503);
    const std::string message = e.what();
    CHECK(message.find("GET " + server.base_url() + "/api/v2/users: HTTP 503") == 0);
    CHECK(message.find("overloaded") != std::string::npos);
    CHECK(message.find("gave up after 3 attempts") != std::string::npos);
    CHECK(message.find("secret-query") == std::string::npos);  // no query strings in messages
  }
  CHECK(server.request_count() == 3);
}

TEST_CASE("a connection reset mid-body is retried") {
  FakeServer server(ok);
  FakeResponse broken = FakeResponse::json(200, json::object{{"data", std::string(4000, 'x')}});
  broken.fault = Fault::reset_mid_body;
  server.inject(broken);
  LoggedClient c(server);
  CHECK(c.client->get_json(server.base_url() + "/x").at("ok").as_bool());
  CHECK(server.request_count() == 2);
  CHECK(c.all_logs().find("connection") != std::string::npos);
}

TEST_CASE("a body shorter than its Content-Length is retried") {
  FakeServer server(ok);
  FakeResponse cut = FakeResponse::json(200, json::object{{"data", std::string(4000, 'x')}});
  cut.fault = Fault::truncate_body;
  server.inject(cut);
  LoggedClient c(server);
  CHECK(c.client->get_json(server.base_url() + "/x").at("ok").as_bool());
  CHECK(server.request_count() == 2);
}

TEST_CASE("truncated JSON in a complete response is retried, and reported if it persists") {
  FakeServer server([](const FakeRequest&) { return status(200, R"({"users":[{"id":1},{"id")"); });
  LoggedClient c(server, 2);
  try {
    c.client->get_json(server.base_url() + "/x");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::transient);
    CHECK(std::string(e.what()).find("not complete JSON") != std::string::npos);
  }
  CHECK(server.request_count() == 2);
}

TEST_CASE("get_json_text returns the body byte for byte, and retries one that is not complete JSON") {
  const std::string sent = "{ \"users\" : [ {\"id\":1} ],\n \"total\":1 }";
  FakeServer server([&](const FakeRequest&) { return status(200, sent); });
  server.inject(status(200, R"({"users":[{"id":1},{"id")"));
  LoggedClient c(server);
  CHECK(c.client->get_json_text(server.base_url() + "/x") == sent);
  CHECK(server.request_count() == 2);
  CHECK(server.requests()[0].header("Accept") == "application/json");
  CHECK(c.all_logs().find("not complete JSON (incomplete JSON at byte") != std::string::npos);
}

TEST_CASE("answers nested deeper than boost's default of 32 are JSON too (a BigQuery RECORD 15 levels deep)") {
  // 15 nested RECORDs in the f/v row form: {"f":[{"v": ... }]} per level.
  std::string row = "\"leaf\"";
  for (int level = 0; level < 15; ++level) row = "{\"f\":[{\"v\":" + row + "}]}";
  const std::string page = "{\"rows\":[" + row + "],\"totalRows\":\"1\"}";
  FakeServer server([&](const FakeRequest&) { return status(200, page); });
  LoggedClient c(server);
  CHECK(c.client->get_json_text(server.base_url() + "/text") == page);
  CHECK(c.client->get_json(server.base_url() + "/dom").at("totalRows") == "1");
  CHECK(server.request_count() == 2);  // neither was retried as "not complete JSON"
}

TEST_CASE("a response slower than the read timeout is retried") {
  FakeServer server(ok);
  FakeResponse slow = FakeResponse::json(200, json::object{{"slow", true}});
  slow.fault = Fault::delay;
  slow.delay = std::chrono::milliseconds(1500);
  server.inject(slow);
  LoggedClient c(server, 4, std::chrono::milliseconds(400));
  auto value = c.client->get_json(server.base_url() + "/x");
  CHECK(value.at("ok").as_bool());
  CHECK(c.client->last_attempts() == 2);
  CHECK(c.all_logs().find("no response within 0.4s") != std::string::npos);
}

TEST_CASE("404 is not_found and 403 is auth, neither retried") {
  FakeServer server([](const FakeRequest& r) {
    return r.path == "/missing" ? status(404, R"({"error":{"code":404,"message":"Not found: Dataset p:d"}})")
                                : status(403, R"({"message":"Insufficient scope, expected any of: read:users"})");
  });
  LoggedClient c(server);
  try {
    c.client->get_json(server.base_url() + "/missing");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::not_found);
    CHECK(e.kind() == ErrorKind::config);
    CHECK(std::string(e.what()).find("Not found: Dataset p:d") != std::string::npos);
  }
  try {
    c.client->get_json(server.base_url() + "/forbidden");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::auth);
    CHECK(std::string(e.what()).find("expected any of: read:users") != std::string::npos);
  }
  CHECK(server.request_count() == 2);
}

TEST_CASE("a connector rule can make a 403 retryable (BigQuery's rateLimitExceeded)") {
  FakeServer server(ok);
  server.inject(status(403, R"({"error":{"errors":[{"reason":"rateLimitExceeded"}],"message":"Exceeded rate limits"}})"));
  HttpOptions options;
  options.ca_file = server.ca_file();
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  options.classify = [](const HttpResponse& r) -> std::optional<HttpFailure> {
    if (r.status == 403 && r.body.find("rateLimitExceeded") != std::string::npos) return HttpFailure::rate_limited;
    return std::nullopt;
  };
  HttpClient client(options);
  CHECK(client.get_json(server.base_url() + "/x").at("ok").as_bool());
  CHECK(client.last_attempts() == 2);
}

TEST_CASE("an expired token is answered 401 until refreshed, the client refreshes once and goes on") {
  std::atomic<int> tokens_issued{0};
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/oauth/token") {
      const int n = ++tokens_issued;
      return FakeResponse::json(200, json::object{{"access_token", kSecretToken + std::to_string(n)},
                                                  {"token_type", "Bearer"}, {"expires_in", 86400}});
    }
    // Only the second token is still valid.
    if (r.header("Authorization") != "Bearer " + kSecretToken + "2") {
      return status(401, R"({"statusCode":401,"error":"Unauthorized","message":"Expired token received for JSON Web Token validation"})");
    }
    return ok(r);
  });
  LoggedClient c(server);
  c.client->set_auth(client_credentials_auth(server.base_url() + "/oauth/token", "client-1",
                                                             "client-SECRET-99", "https://x/api/v2/"));
  CHECK(c.client->get_json(server.base_url() + "/api/v2/users").at("ok").as_bool());
  CHECK(tokens_issued == 2);
  CHECK(server.request_count() == 4);  // token, 401, token, 200
  // The fresh token is cached: no new token for the next call.
  c.client->get_json(server.base_url() + "/api/v2/users");
  CHECK(tokens_issued == 2);
  const std::string logs = c.all_logs();
  CHECK(logs.find(kSecretToken) == std::string::npos);
  CHECK(logs.find("client-SECRET-99") == std::string::npos);
  CHECK(logs.find("Bearer") == std::string::npos);
}

TEST_CASE("secrets never reach the log, even while retrying authorized requests") {
  FakeServer server(ok);
  server.inject(status(503));
  server.inject(status(429).with_header("Retry-After", "0"));
  LoggedClient c(server);
  c.client->set_auth(bearer_token_auth(kSecretToken));
  c.client->get_json(server.base_url() + "/x?api_key=" + kSecretToken);
  REQUIRE(c.lines->size() == 2);
  CHECK(c.all_logs().find(kSecretToken) == std::string::npos);
  CHECK(server.requests().back().header("Authorization") == "Bearer " + kSecretToken);
}

TEST_CASE("TLS is verified: a server the client does not trust is a config error, not retried") {
  FakeServer server(ok);
  HttpOptions options;  // no ca_file: only the system store
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  HttpClient client(options);
  try {
    client.get_json(server.base_url() + "/x");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::config);
    CHECK(std::string(e.what()).find("TLS verification failed") != std::string::npos);
    CHECK(std::string(e.what()).find("ca_file") != std::string::npos);
  }
  CHECK(client.last_attempts() == 1);
  CHECK(server.request_count() == 0);
}

TEST_CASE("gzip bodies are decompressed and keep-alive reuses one connection") {
  const std::string plain = R"({"rows":[1,2,3]})";
  std::ostringstream compressed;
  {
    Poco::DeflatingOutputStream gzip(compressed, Poco::DeflatingStreamBuf::STREAM_GZIP);
    gzip << plain;
    gzip.close();
  }
  FakeServer server([&](const FakeRequest&) {
    FakeResponse r;
    r.body = compressed.str();
    r.headers.emplace_back("Content-Encoding", "gzip");
    return r;
  });
  LoggedClient c(server);
  for (int i = 0; i < 3; ++i) CHECK(json::serialize(c.client->get_json(server.base_url() + "/x")) == plain);
  CHECK(server.request_count() == 3);
}

TEST_CASE("plain http works against loopback servers") {
  FakeServer server(ok, testkit::Scheme::http);
  CHECK(server.base_url().rfind("http://127.0.0.1:", 0) == 0);
  HttpClient client(HttpOptions{});
  CHECK(client.get_json(server.base_url() + "/x").at("ok").as_bool());
}

TEST_CASE("cancellation stops between attempts") {
  FakeServer server([](const FakeRequest&) { return status(503); });
  HttpOptions options;
  options.ca_file = server.ca_file();
  options.retry.initial_backoff = std::chrono::milliseconds(50);
  std::atomic<bool> cancel{false};
  options.cancelled = [&] { return cancel.load(); };
  options.log = [&](int, std::string_view) { cancel = true; };  // cancel at the first retry notice
  HttpClient client(options);
  CHECK_THROWS_AS(client.get_json(server.base_url() + "/x"), sluice::Cancelled);
  CHECK(server.request_count() == 1);
}

TEST_CASE("a cancel while waiting for an answer interrupts the wait, over TLS and plain http") {
  for (auto scheme : {testkit::Scheme::https, testkit::Scheme::http}) {
    DYNAMIC_SECTION((scheme == testkit::Scheme::https ? "https" : "http")) {
      std::atomic<bool> cancel{false};
      // The server takes the request, the run is cancelled, and no answer
      // ever comes: only the cancel can end the wait before the read timeout.
      FakeServer server(
          [&](const FakeRequest&) {
            cancel = true;
            FakeResponse never;
            never.fault = testkit::Fault::hang;
            return never;
          },
          scheme);
      HttpOptions options;
      options.ca_file = server.ca_file();
      options.read_timeout = std::chrono::seconds(60);
      options.retry.max_attempts = 1;
      options.cancelled = [&] { return cancel.load(); };
      HttpClient client(options);
      CHECK_THROWS_AS(client.get_json(server.base_url() + "/slow-query"), sluice::Cancelled);
      CHECK(server.request_count() == 1);
    }
  }
}

TEST_CASE("post_json and post_form send the body with its content type") {
  FakeServer server(ok);
  HttpOptions options;
  options.ca_file = server.ca_file();
  HttpClient client(options);
  client.post_json(server.base_url() + "/q", json::object{{"query", "SELECT 1"}});
  client.post_form(server.base_url() + "/f", {{"a", "x y"}, {"b", "&="}});
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].header("Content-Type") == "application/json");
  CHECK(requests[0].body == R"({"query":"SELECT 1"})");
  CHECK(requests[1].header("Content-Type") == "application/x-www-form-urlencoded");
  CHECK(requests[1].form() == std::map<std::string, std::string>{{"a", "x y"}, {"b", "&="}});
}

TEST_CASE("a status code past the registered ones (fuzzing found 753) is read as the server sent it") {
  FakeServer server([](const FakeRequest&) { return status(599, R"({"error":"overloaded"})"); });
  LoggedClient c(server, 1);
  try {
    c.client->get_json(server.base_url() + "/x");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.status() == 599);
    CHECK(e.kind() == ErrorKind::transient);
  }
}

namespace {

// The ways a server's certificate is refused, each before any request (and
// so any credential) reaches it, with one line and no retry.
void check_refused(const CertificateSpec& certificate, const std::string& reason) {
  FakeServer server(ok, certificate);
  LoggedClient c(server);
  try {
    c.client->get_json(server.base_url() + "/x", {{"Authorization", "Bearer " + kSecretToken}});
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::config);
    CHECK_THAT(std::string(e.what()), Catch::Contains("TLS verification failed") && Catch::Contains(reason) &&
                                          !Catch::Contains(kSecretToken) && !Catch::Contains("\n"));
  }
  CHECK(c.client->last_attempts() == 1);
  CHECK(server.request_count() == 0);
}

}  // namespace

TEST_CASE("TLS: a trusted certificate for another host name is refused, on a loopback address too") {
  check_refused({"DNS:billing.example.com", -3600, 3600}, "certificate verify failed");
}

TEST_CASE("TLS: an expired certificate is refused") {
  check_refused({"IP:127.0.0.1,DNS:localhost", -7200, -3600}, "certificate verify failed");
}

// TLS contexts are made once per host and shared (http_client.cpp,
// tls_context): a CA file's trust must still be read again when the file
// changes, or a rotated certificate would keep failing until a restart.
TEST_CASE("TLS: a CA file replaced in place is trusted as it now reads by the next client") {
  FakeServer first(ok);
  FakeServer second(ok, CertificateSpec{"IP:127.0.0.1,DNS:localhost", -3600, 3600, "second.test", 2});
  sluice::test::TempDir dir;
  const std::filesystem::path ca = dir.path() / "ca.pem";
  auto fetch = [&](const FakeServer& server) {
    HttpOptions options;
    options.ca_file = ca.string();
    HttpClient client(options);
    try {
      client.get_json(server.base_url() + "/x");
      return std::string("ok");
    } catch (const HttpError& e) {
      return std::string(e.what()).find("TLS verification failed") != std::string::npos ? std::string("refused")
                                                                                          : std::string(e.what());
    }
  };
  std::filesystem::copy_file(first.ca_file(), ca);
  CHECK(fetch(first) == "ok");
  CHECK(fetch(second) == "refused");
  std::filesystem::copy_file(second.ca_file(), ca, std::filesystem::copy_options::overwrite_existing);
  CHECK(fetch(second) == "ok");
  CHECK(fetch(first) == "refused");
  CHECK(second.request_count() == 1);
}
