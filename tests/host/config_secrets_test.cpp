// Secret masking in printed configs, and the Redactor every output line goes through.
#include "host/config/secrets.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace sluice::host;
namespace json = boost::json;

namespace {

const json::object kSchema = json::parse(R"({
  "type": "object",
  "definitions": {"pin": {"type": "integer", "secret": true}},
  "properties": {
    "domain": {"type": "string"},
    "api_key": {"type": "string", "secret": true},
    "pin": {"$ref": "#/definitions/pin"},
    "credentials": {
      "oneOf": [
        {"title": "Client credentials", "type": "object",
         "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string", "secret": true}}},
        {"title": "Management API token", "type": "object",
         "properties": {"token": {"type": "string", "secret": true}}}
      ]
    },
    "shared": {"anyOf": [{"type": "string"}, {"type": "string", "secret": true}]},
    "headers": {"type": "array", "items": {"type": "object",
                "properties": {"name": {"type": "string"}, "value": {"type": "string", "secret": true}}}},
    "service_account": {"type": "object", "secret": true},
    "extra": {"type": "object", "additionalProperties": {"type": "string", "secret": true}}
  }
})").as_object();

const json::value kConfig = json::parse(R"({
  "domain": "acme.example",
  "api_key": "key-123",
  "pin": 4321,
  "credentials": {"client_id": "cid", "client_secret": "csecret"},
  "shared": "shared-secret",
  "headers": [{"name": "X-A", "value": "hv1"}, {"name": "X-B", "value": "hv2"}],
  "service_account": {"private_key": "pk", "port": 5},
  "extra": {"a": "e1"},
  "unknown": "not-in-schema"
})");

}  // namespace

TEST_CASE("secret values are found through refs, oneOf/anyOf branches, arrays and nested objects") {
  CHECK(collect_secret_values(kSchema, kConfig) ==
        std::vector<std::string>{"key-123", "4321", "csecret", "shared-secret", "hv1", "hv2", "pk", "5", "e1"});
}

TEST_CASE("a secret in another oneOf branch is found when that branch is used") {
  auto config = json::parse(R"({"credentials": {"token": "tkn"}, "api_key": ""})");
  CHECK(collect_secret_values(kSchema, config) == std::vector<std::string>{"tkn"});
}

TEST_CASE("mask_secrets replaces each secret value whole and keeps the rest") {
  CHECK(json::serialize(mask_secrets(kSchema, kConfig)) ==
        R"({"domain":"acme.example","api_key":"********","pin":"********",)"
        R"("credentials":{"client_id":"cid","client_secret":"********"},"shared":"********",)"
        R"("headers":[{"name":"X-A","value":"********"},{"name":"X-B","value":"********"}],)"
        R"("service_account":"********","extra":{"a":"********"},"unknown":"not-in-schema"})");
}

TEST_CASE("the Redactor masks every registered secret, longest first") {
  auto& redactor = Redactor::instance();
  redactor.clear();
  CHECK(redactor.apply("nothing registered: key-123") == "nothing registered: key-123");
  redactor.add("key-123");
  redactor.add("key-123-long");
  redactor.add("");
  CHECK(redactor.apply("a key-123-long and a key-123, key-123") == "a ******** and a ********, ********");
  redactor.clear();
  CHECK(redactor.apply("key-123") == "key-123");
}

TEST_CASE("the Redactor masks short secrets and the JSON-escaped form of a secret") {
  auto& redactor = Redactor::instance();
  redactor.clear();
  redactor.add("ab");
  redactor.add("line1\nline\"2");
  CHECK(redactor.apply("xaby") == "x********y");
  CHECK(redactor.apply(R"({"key":"line1\nline\"2"})") == R"({"key":"********"})");
  CHECK(redactor.apply("raw: line1\nline\"2") == "raw: ********");
  redactor.clear();
}

TEST_CASE("the Redactor masks a secret in every encoding the project produces: percent, form, base64, base64url") {
  auto& redactor = Redactor::instance();
  redactor.clear();
  const std::string secret = "s3cr3t/+= value?";
  redactor.add(secret);
  // What url_encode/form_encode send, a token endpoint echoing a form body,
  // a JWT or basic-auth blob, each carrying the secret encoded on its own.
  CHECK(redactor.apply("client_secret=s3cr3t%2F%2B%3D%20value%3F&x=1") == "client_secret=********&x=1");
  CHECK(redactor.apply("b64 czNjcjN0Lys9IHZhbHVlPw== end") == "b64 ******** end");
  CHECK(redactor.apply("b64url czNjcjN0Lys9IHZhbHVlPw end") == "b64url ******** end");
  redactor.clear();
}

TEST_CASE("the Redactor masks the password of any URL with credentials, even one it was never told, and typos") {
  auto& redactor = Redactor::instance();
  redactor.clear();
  CHECK(redactor.apply("unsupported URL scheme: postgresql:/u:PW@h/db") ==
        "unsupported URL scheme: postgresql:/u:********@h/db");
  CHECK(redactor.apply("postgresql//u:PW@h/db and mysql://root:p@ss:w@rd@db:3306/x") ==
        "postgresql//u:********@h/db and mysql://root:********@db:3306/x");
  // Not credentials: an e-mail address, a user without a password, a time.
  CHECK(redactor.apply("mail ops@example.com, ssh://git@host, at 10:30@utc") ==
        "mail ops@example.com, ssh://git@host, at 10:30@utc");
}

TEST_CASE("the Redactor can be used from several threads") {
  auto& redactor = Redactor::instance();
  redactor.clear();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&redactor, t] {
      for (int i = 0; i < 200; ++i) {
        redactor.add("secret-" + std::to_string(t) + "-" + std::to_string(i % 10));
        (void)redactor.apply("log line with secret-0-1 inside");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(redactor.apply("secret-3-9 and secret-0-0") == "******** and ********");
  redactor.clear();
}
