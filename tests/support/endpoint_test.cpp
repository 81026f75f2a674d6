// The shared base-URL rule.
#include <sluice/support/endpoint.hpp>

#include <catch2/catch.hpp>

using namespace sluice::support;
namespace json = boost::json;

TEST_CASE("https URLs are accepted and lose their trailing slash") {
  CHECK(checked_url("https://proxy.corp.example/bigquery/v2/", "base_url") == "https://proxy.corp.example/bigquery/v2");
}

TEST_CASE("plain http is accepted for loopback hosts only") {
  CHECK(checked_url("http://127.0.0.1:9050", "base_url") == "http://127.0.0.1:9050");
  CHECK(checked_url("http://localhost:8080/", "token_url") == "http://localhost:8080");
  CHECK_THROWS_WITH(checked_url("http://api.example.com", "base_url"),
                    "base_url: plain http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost), "
                    "got host api.example.com; use https://");
  CHECK_THROWS_WITH(checked_url("http://127.0.0.1.evil.example", "base_url"), Catch::Contains("only for loopback"));
}

TEST_CASE("other schemes, missing hosts, queries and credentials are config errors naming the field") {
  CHECK_THROWS_WITH(checked_url("ftp://x", "base_url"), "base_url: must start with https:// (got ftp://)");
  CHECK_THROWS_WITH(checked_url("https://", "token_url"), Catch::StartsWith("token_url: a URL needs a host"));
  CHECK_THROWS_WITH(checked_url("https://x/?k=v", "base_url"), "base_url: must not have a query string or fragment");
  CHECK_THROWS_WITH(checked_url("https://u:p@x/", "base_url"), "base_url: must not carry credentials in the URL");
}

TEST_CASE("the endpoint comes from the config, else the connector's defaults") {
  auto defaults = endpoint_from_config(json::object{}, "https://bigquery.googleapis.com/bigquery/v2",
                                       "https://oauth2.googleapis.com/token");
  CHECK(defaults.base_url == "https://bigquery.googleapis.com/bigquery/v2");
  CHECK(defaults.token_url == "https://oauth2.googleapis.com/token");
  CHECK(defaults.ca_file.empty());
  auto custom = endpoint_from_config(
      json::object{{"base_url", "http://127.0.0.1:1/"}, {"token_url", "https://t/"}, {"ca_file", "/ca.pem"}},
      "https://default");
  CHECK(custom.base_url == "http://127.0.0.1:1");
  CHECK(custom.token_url == "https://t");
  CHECK(custom.ca_file == "/ca.pem");
  CHECK_THROWS_WITH(endpoint_from_config(json::object{{"base_url", "http://10.0.0.1"}}, "https://d"),
                    Catch::StartsWith("base_url: plain http://"));
}

TEST_CASE("every connector declares the endpoint fields alike") {
  auto with_token = endpoint_schema_properties(true, 50);
  CHECK(with_token.size() == 3);
  CHECK(with_token.at("base_url").at("order") == 50);
  CHECK(with_token.at("token_url").at("order") == 51);
  CHECK(with_token.at("ca_file").at("type") == "string");
  CHECK(endpoint_schema_properties(false, 1).size() == 2);
}
