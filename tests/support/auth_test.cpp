// Auth flows: produced JWTs are verified with OpenSSL and the public key,
// their claims checked; token endpoints' refusals become auth errors that
// name the client, never the secret.
#include "support_test_helpers.hpp"
#include "testkit/jwt_verify.hpp"
#include "testkit/keys.hpp"

#include <sluice/support/auth.hpp>
#include "sdk/support/auth_flows.hpp"  // private: the flow classes, to inspect their JWTs
#include "sdk/support/jwt.hpp"  // private to the support library: tests sign JWTs with it

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <atomic>
#include <thread>

using namespace sluice;
using namespace sluice::support;
using sluice::test::LoggedClient;
using testkit::FakeRequest;
using testkit::FakeResponse;
using testkit::FakeServer;
namespace json = boost::json;

namespace {

const testkit::RsaKeyPair& test_key() {
  static const testkit::RsaKeyPair key = testkit::generate_rsa_key();
  return key;
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// SHA256:base64(sha256(DER of the SubjectPublicKeyInfo)), computed from the
// public PEM independently of the library.
std::string fingerprint_of(const std::string& public_pem) {
  std::string b64;
  std::istringstream lines(public_pem);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("-----", 0) != 0) b64 += line;
  }
  std::string der(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  size_t size = static_cast<size_t>(n);
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) --size;
  der.resize(size);
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha256(), nullptr);
  return "SHA256:" + base64_encode(std::string_view(reinterpret_cast<char*>(digest), length));
}

}  // namespace

TEST_CASE("Google service-account grant: a signed assertion with the documented claims, token cached") {
  const std::string email = "sync@test-project.iam.gserviceaccount.com";
  int token_requests = 0;
  std::optional<testkit::VerifiedJwt> seen;
  std::string grant_type;
  FakeServer* self = nullptr;
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/token") {
      ++token_requests;
      auto form = r.form();
      grant_type = form["grant_type"];
      seen = testkit::verify_rs256_jwt(form["assertion"], test_key().public_pem);
      if (!seen) return FakeResponse::json(400, json::object{{"error", "invalid_grant"},
                                                             {"error_description", "Invalid JWT Signature."}});
      return FakeResponse::json(200, json::object{{"access_token", "ya29.test"}, {"expires_in", 3599},
                                                  {"token_type", "Bearer"}});
    }
    return FakeResponse::json(200, json::object{{"auth", r.header("Authorization")}});
  });
  self = &server;
  const std::string key_file = testkit::service_account_json(email, test_key(), "https://oauth2.googleapis.com/token");
  LoggedClient c(*self);
  auto auth = std::make_shared<GoogleServiceAccountAuth>(
      key_file, std::vector<std::string>{"https://www.googleapis.com/auth/bigquery.readonly"},
      server.base_url() + "/token");
  CHECK(auth->client_email() == email);
  c.client->set_auth(auth);
  CHECK(c.client->get_json(server.base_url() + "/api").at("auth") == "Bearer ya29.test");
  c.client->get_json(server.base_url() + "/api");
  CHECK(token_requests == 1);
  CHECK(grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer");
  REQUIRE(seen);
  CHECK(seen->header.at("kid") == "0123456789abcdef0123456789abcdef01234567");
  CHECK(seen->claims.at("iss").as_string() == email);
  CHECK(seen->claims.at("aud") == "https://oauth2.googleapis.com/token");
  CHECK(seen->claims.at("scope") == "https://www.googleapis.com/auth/bigquery.readonly");
  const int64_t iat = seen->claims.at("iat").as_int64();
  CHECK(std::abs(iat - now_seconds()) < 60);
  CHECK(seen->claims.at("exp").as_int64() - iat == 3600);
}

TEST_CASE("a service-account key the endpoint rejects is an auth error naming the account, not the key") {
  const auto other = testkit::generate_rsa_key();
  FakeServer server([&](const FakeRequest& r) {
    if (testkit::verify_rs256_jwt(r.form()["assertion"], test_key().public_pem)) {
      return FakeResponse::json(200, json::object{{"access_token", "t"}});
    }
    return FakeResponse::json(400, json::object{{"error", "invalid_grant"}, {"error_description", "Invalid JWT Signature."}});
  });
  LoggedClient c(server);
  const std::string key_file = testkit::service_account_json("sa@p.iam.gserviceaccount.com", other, server.base_url() + "/token");
  c.client->set_auth(std::make_shared<GoogleServiceAccountAuth>(key_file, std::vector<std::string>{"s"}));
  try {
    c.client->get_json(server.base_url() + "/api");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.kind() == ErrorKind::auth);
    const std::string message = e.what();
    CHECK(message.find("service account sa@p.iam.gserviceaccount.com") != std::string::npos);
    CHECK(message.find("invalid_grant: Invalid JWT Signature.") != std::string::npos);
    CHECK(message.find("PRIVATE KEY") == std::string::npos);
  }
  CHECK(server.request_count() == 1);  // refusals are not retried
}

TEST_CASE("a malformed service-account key file is a config error") {
  CHECK_THROWS_WITH(GoogleServiceAccountAuth("{not json", {"s"}), Catch::Contains("credentials_json: not a service-account key"));
  CHECK_THROWS_WITH(GoogleServiceAccountAuth(R"({"type":"service_account","client_email":"a@b"})", {"s"}),
                    Catch::Contains("has no \"private_key\""));
  auto bad_key = R"({"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})";
  GoogleServiceAccountAuth auth(bad_key, {"s"}, "https://127.0.0.1:1/token");
  HttpClient client(HttpOptions{});
  HttpRequest request;
  CHECK_THROWS_WITH(auth.authorize(request, client), Catch::Contains("credentials_json.private_key: not a readable PEM"));
}

TEST_CASE("client credentials: the documented form fields, and a refusal names the client, not the secret") {
  std::map<std::string, std::string> form;
  FakeServer server([&](const FakeRequest& r) {
    form = r.form();
    if (form["client_secret"] != "right-SECRET") {
      return FakeResponse::json(401, json::object{{"error", "access_denied"}, {"error_description", "Unauthorized"}});
    }
    return FakeResponse::json(200, json::object{{"access_token", "at"}, {"expires_in", 86400}, {"token_type", "Bearer"}});
  });
  LoggedClient c(server);
  c.client->set_auth(client_credentials_auth(server.base_url() + "/oauth/token", "cid", "wrong-SECRET",
                                                             "https://acme.us.auth0.com/api/v2/"));
  try {
    c.client->get_json(server.base_url() + "/api/v2/users");
    FAIL("no error");
  } catch (const HttpError& e) {
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()) == "client cid: the token endpoint " + server.base_url() +
                                       "/oauth/token refused the credentials: access_denied: Unauthorized");
  }
  CHECK(form == std::map<std::string, std::string>{{"grant_type", "client_credentials"}, {"client_id", "cid"},
                                                    {"client_secret", "wrong-SECRET"},
                                                    {"audience", "https://acme.us.auth0.com/api/v2/"}});
  CHECK(c.all_logs().find("SECRET") == std::string::npos);
}

TEST_CASE("a cached token is renewed a minute before it expires, by the client's clock") {
  int token_requests = 0;
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/oauth/token") {
      ++token_requests;
      return FakeResponse::json(200, json::object{{"access_token", "at" + std::to_string(token_requests)},
                                                  {"expires_in", 3600}, {"token_type", "Bearer"}});
    }
    return FakeResponse::json(200, json::object{{"auth", r.header("Authorization")}});
  });
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  LoggedClient c(server, 4, std::chrono::milliseconds(10'000), [&now] { return now; });
  c.client->set_auth(client_credentials_auth(server.base_url() + "/oauth/token", "cid", "s", "aud"));
  CHECK(c.client->get_json(server.base_url() + "/api").at("auth") == "Bearer at1");
  now += std::chrono::seconds(3539);  // 61 s before expiry: still good
  CHECK(c.client->get_json(server.base_url() + "/api").at("auth") == "Bearer at1");
  now += std::chrono::seconds(1);  // the minute's margin reached
  CHECK(c.client->get_json(server.base_url() + "/api").at("auth") == "Bearer at2");
  CHECK(token_requests == 2);
}

TEST_CASE("providers of the same credentials share one token while they live - other credentials fetch their own") {
  std::map<std::string, int> token_requests;  // by client_id
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/oauth/token") {
      const std::string client = r.form()["client_id"];
      const int n = ++token_requests[client];
      return FakeResponse::json(200, json::object{{"access_token", client + "-at" + std::to_string(n)},
                                                  {"expires_in", 3600}, {"token_type", "Bearer"}});
    }
    return FakeResponse::json(200, json::object{{"auth", r.header("Authorization")}});
  });
  const std::string token_url = server.base_url() + "/oauth/token";
  // Three sessions of one sync read in parallel: each builds its own provider.
  LoggedClient a(server), b(server), other(server);
  a.client->set_auth(client_credentials_auth(token_url, "cid", "s", "aud"));
  b.client->set_auth(client_credentials_auth(token_url, "cid", "s", "aud"));
  other.client->set_auth(client_credentials_auth(token_url, "cid", "another secret", "aud"));
  CHECK(a.client->get_json(server.base_url() + "/api").at("auth") == "Bearer cid-at1");
  CHECK(b.client->get_json(server.base_url() + "/api").at("auth") == "Bearer cid-at1");
  CHECK(other.client->get_json(server.base_url() + "/api").at("auth") == "Bearer cid-at2");
  CHECK(token_requests["cid"] == 2);
  // Once every provider of those credentials is gone, a new one starts afresh.
  a.client->set_auth(nullptr);
  b.client->set_auth(nullptr);
  other.client->set_auth(nullptr);
  LoggedClient later(server);
  later.client->set_auth(client_credentials_auth(token_url, "cid", "s", "aud"));
  CHECK(later.client->get_json(server.base_url() + "/api").at("auth") == "Bearer cid-at3");
}

TEST_CASE("the Google assertion's iat and the Snowflake JWT's renewal follow the client's clock") {
  const auto start = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  auto now = start;
  HttpOptions options;
  options.now = [&now] { return now; };
  HttpClient client(options);

  SnowflakeKeyPairAuth snowflake("ACCT", "U", test_key().private_pem);
  auto jwt_iat = [&] {
    HttpRequest request;
    snowflake.authorize(request, client);
    auto verified = testkit::verify_rs256_jwt(request.headers.at(0).second.substr(7), test_key().public_pem);
    REQUIRE(verified);
    return verified->claims.at("iat").as_int64();
  };
  CHECK(jwt_iat() == 1'800'000'000);
  now += std::chrono::minutes(54);
  CHECK(jwt_iat() == 1'800'000'000);  // reused while it has minutes left
  now += std::chrono::minutes(1);
  CHECK(jwt_iat() == 1'800'000'000 + 55 * 60);

  std::optional<testkit::VerifiedJwt> seen;
  FakeServer server([&](const FakeRequest& r) {
    if (r.path != "/token") return FakeResponse::json(200, json::object{});
    seen = testkit::verify_rs256_jwt(r.form()["assertion"], test_key().public_pem);
    return FakeResponse::json(200, json::object{{"access_token", "ya29.t"}, {"expires_in", 3599}});
  });
  LoggedClient c(server, 4, std::chrono::milliseconds(10'000), [&now] { return now; });
  c.client->set_auth(std::make_shared<GoogleServiceAccountAuth>(
      testkit::service_account_json("a@p.iam.gserviceaccount.com", test_key(), "https://oauth2.googleapis.com/token"),
      std::vector<std::string>{"scope"}, server.base_url() + "/token"));
  c.client->get_json(server.base_url() + "/api");
  REQUIRE(seen);
  CHECK(seen->claims.at("iat").as_int64() == 1'800'000'000 + 55 * 60);
}

TEST_CASE("Snowflake key-pair JWT: issuer with the public key fingerprint, subject, one hour, verified") {
  SnowflakeKeyPairAuth auth("myorg-acct.us-east-1", "etl_user", test_key().private_pem);
  const auto jwt = auth.make_jwt(std::chrono::system_clock::now());
  auto verified = testkit::verify_rs256_jwt(jwt, test_key().public_pem);
  REQUIRE(verified);
  CHECK(verified->claims.at("iss").as_string() == "MYORG-ACCT.ETL_USER." + fingerprint_of(test_key().public_pem));
  CHECK(verified->claims.at("sub") == "MYORG-ACCT.ETL_USER");
  CHECK(verified->claims.at("exp").as_int64() - verified->claims.at("iat").as_int64() == 3600);
  CHECK_FALSE(testkit::verify_rs256_jwt(jwt, testkit::generate_rsa_key().public_pem));

  HttpClient client(HttpOptions{});
  HttpRequest request;
  auth.authorize(request, client);
  CHECK(request.headers == Headers{{"Authorization", "Bearer " + request.headers[0].second.substr(7)},
                                   {"X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT"}});
  CHECK(testkit::verify_rs256_jwt(request.headers[0].second.substr(7), test_key().public_pem));
}

TEST_CASE("Snowflake keys encrypted with a passphrase work with it and fail clearly without it") {
  const std::string encrypted = test_key().encrypted_private_pem("pass phrase");
  SnowflakeKeyPairAuth auth("ACCT", "U", encrypted, "pass phrase");
  CHECK(testkit::verify_rs256_jwt(auth.make_jwt(std::chrono::system_clock::now()), test_key().public_pem));
  CHECK_THROWS_WITH(SnowflakeKeyPairAuth("ACCT", "U", encrypted, "wrong"),
                    Catch::Contains("private_key: not a readable PEM private key (or the passphrase is wrong)"));
  CHECK_THROWS_WITH(SnowflakeKeyPairAuth("ACCT", "U", encrypted),
                    Catch::Contains("if it is encrypted, a passphrase is needed"));
}

TEST_CASE("a static bearer token is sent as is") {
  StaticBearerAuth auth("abc");
  HttpClient client(HttpOptions{});
  HttpRequest request;
  auth.authorize(request, client);
  CHECK(request.headers == Headers{{"Authorization", "Bearer abc"}});
}

TEST_CASE("base64url has no padding and uses - and _") {
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64_encode("\xfb\xff") == "+/8=");
  CHECK(testkit::base64url_decode("-_8") == "\xfb\xff");
}

TEST_CASE("a Google token and a Snowflake JWT are shared by clients on several threads, each made once") {
  std::atomic<int> token_requests{0};
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/token") {
      ++token_requests;
      return FakeResponse::json(200, json::object{{"access_token", "ya29.shared"}, {"expires_in", 3600}});
    }
    return FakeResponse::json(200, json::object{{"ok", true}});
  });
  const auto google = std::make_shared<GoogleServiceAccountAuth>(
      testkit::service_account_json("sa@p.iam.gserviceaccount.com", test_key(), server.base_url() + "/token"),
      std::vector<std::string>{"s"});
  const auto snowflake = std::make_shared<SnowflakeKeyPairAuth>("ACCT", "U", test_key().private_pem);
  // Four threads, each with its own client (one per thread), at once.
  std::vector<std::string> google_headers(4), snowflake_headers(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      LoggedClient c(server);
      HttpRequest for_google, for_snowflake;
      google->authorize(for_google, *c.client);
      snowflake->authorize(for_snowflake, *c.client);
      google_headers[i] = for_google.headers.at(0).second;
      snowflake_headers[i] = for_snowflake.headers.at(0).second;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(token_requests == 1);
  for (size_t i = 0; i < 4; ++i) {
    CHECK(google_headers[i] == "Bearer ya29.shared");
    CHECK(snowflake_headers[i] == snowflake_headers[0]);
  }
}
