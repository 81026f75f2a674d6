// Config as a SQL warehouse's Connection Details give it: the warehouse id
// from the HTTP path, a clear refusal for a cluster's path or a missing catalog.
#include "identifiers.hpp"
#include "settings.hpp"

#include <catch2/catch.hpp>

using namespace databricks;

namespace {

Settings settings_of(const std::string& config_json) {
  const auto config = boost::json::parse(config_json).as_object();
  return read_settings(sluice::Config(config));
}

}  // namespace

TEST_CASE("the warehouse id is the last segment of a SQL warehouse's HTTP path, old endpoints paths too") {
  CHECK(warehouse_id_of_http_path("/sql/1.0/warehouses/1234567890abcdef") == "1234567890abcdef");
  CHECK(warehouse_id_of_http_path("/sql/1.0/warehouses/1234567890abcdef/?o=42") == "1234567890abcdef");
  CHECK(warehouse_id_of_http_path("/sql/1.0/endpoints/abcdef0123456789") == "abcdef0123456789");
}

TEST_CASE("an all-purpose cluster's HTTP path is refused, saying a SQL warehouse is needed") {
  CHECK_THROWS_WITH(warehouse_id_of_http_path("/sql/protocolv1/o/1234567890123456/0123-456789-abcdefgh"),
                    "config.http_path: this is an all-purpose cluster's HTTP path; the Statement Execution API needs "
                    "a SQL warehouse: copy the HTTP path of a SQL warehouse (SQL Warehouses > the warehouse > "
                    "Connection details), /sql/1.0/warehouses/<warehouse id>");
  CHECK_THROWS_WITH(warehouse_id_of_http_path("/sql/1.0/warehouses/"), Catch::StartsWith("config.http_path: not a SQL warehouse's HTTP path"));
}

TEST_CASE("settings: the base URL from hostname and port, the token or service principal, defaults") {
  const Settings pat = settings_of(R"({"server_hostname": "DBC-A1B2.cloud.databricks.com", "http_path": "/sql/1.0/warehouses/abc",
      "catalog": "main", "credentials": {"auth_type": "personal_access_token", "token": "dapi1"}})");
  CHECK(pat.endpoint.base_url == "https://dbc-a1b2.cloud.databricks.com");
  CHECK(pat.warehouse_id == "abc");
  CHECK(pat.token == "dapi1");
  CHECK(pat.wait_timeout == std::chrono::seconds(30));
  CHECK(pat.concurrency == 4);
  const Settings m2m = settings_of(R"({"server_hostname": "h.example", "port": 8443, "http_path": "/sql/1.0/warehouses/abc",
      "catalog": "main", "credentials": {"auth_type": "oauth_m2m", "client_id": "sp-1", "client_secret": "s"}})");
  CHECK(m2m.endpoint.base_url == "https://h.example:8443");
  CHECK(m2m.client_id == "sp-1");
  CHECK(m2m.token.empty());
}

TEST_CASE("a config without a catalog is refused: Unity Catalog is required") {
  CHECK_THROWS_WITH(settings_of(R"({"server_hostname": "h", "http_path": "/sql/1.0/warehouses/abc",
      "credentials": {"auth_type": "personal_access_token", "token": "dapi1"}})"),
                    "config.catalog: required: the connector reads Unity Catalog tables; name the catalog to read "
                    "(Catalog Explorer lists them, e.g. main)");
}

TEST_CASE("hostile identifiers are backquoted with backquotes doubled - control characters are refused") {
  CHECK(quote_identifier("order items", "table") == "`order items`");
  CHECK(quote_identifier("we`ird`; DROP TABLE x; --", "table") == "`we``ird``; DROP TABLE x; --`");
  CHECK(quote_table("sales", "select") == "`sales`.`select`");
  CHECK_THROWS_WITH(quote_identifier("bad\nname", "column"),
                    "cannot quote column name \"bad?name\": it is empty, longer than 255 bytes, or holds a control character");
  CHECK_THROWS(quote_identifier("", "schema"));
  CHECK_THROWS(quote_identifier(std::string(256, 'a'), "table"));
}
