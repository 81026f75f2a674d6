// The config as the connector reads it: fields or a URL, TLS defaults by
// host, and one clear line for what is wrong.
#include "settings.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/table_filter.hpp"
#include "sql_common/value_text.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace postgres;

namespace {

std::map<std::string, std::string> params_of(const Settings& settings) {
  return {settings.params.begin(), settings.params.end()};
}

Settings from(const char* json) { return read_settings(sluice::Config(boost::json::parse(json).as_object())); }

}  // namespace

TEST_CASE("TLS is verify-full by default, prefer only for a loopback host, the config's sslmode and CA win") {
  auto remote = params_of(from(R"({"host": "db.example.com", "database": "app", "user": "reader", "password": "pw"})"));
  CHECK(remote.at("sslmode") == "verify-full");
  CHECK(remote.at("port") == "5432");
  CHECK(remote.at("application_name") == "sluice");
  CHECK(params_of(from(R"({"host": "127.0.0.1", "database": "app", "user": "u"})")).at("sslmode") == "prefer");
  CHECK(params_of(from(R"({"host": "localhost", "database": "app", "user": "u"})")).at("sslmode") == "prefer");
  auto pinned = params_of(from(R"({"host": "10.0.0.5", "database": "app", "user": "u", "sslmode": "verify-ca", "ca_file": "/etc/ca.pem"})"));
  CHECK(pinned.at("sslmode") == "verify-ca");
  CHECK(pinned.at("sslrootcert") == "/etc/ca.pem");
}

TEST_CASE("a URL gives every libpq parameter, its own sslmode is kept, else the host's default applies") {
  auto url = from(R"({"url": "postgresql://reader:s3cret@db.example.com:6543/app?sslmode=require&connect_timeout=5"})");
  auto params = params_of(url);
  CHECK(params.at("host") == "db.example.com");
  CHECK(params.at("port") == "6543");
  CHECK(params.at("password") == "s3cret");
  CHECK(params.at("sslmode") == "require");
  CHECK(params.at("connect_timeout") == "5");
  CHECK(url.where == "db.example.com:6543/app");
  CHECK(params_of(from(R"({"url": "postgres://u@db.example.com/app"})")).at("sslmode") == "verify-full");
}

TEST_CASE("config mistakes are one line naming the field, never echoing the URL") {
  CHECK_THROWS_WITH(from(R"({"host": "h", "user": "u"})"), "config.database: required unless url is given");
  CHECK_THROWS_WITH(from(R"({"url": "postgresql://u:pw@h/db", "host": "h"})"),
                    "config.host: give either url or the separate fields, not both");
  try {
    from(R"({"url": "postgresql://u:pw@h/db?nonsense=1"})");
    FAIL("accepted an unknown URL parameter");
  } catch (const sluice::Error& error) {
    CHECK(error.kind() == sluice::ErrorKind::config);
    CHECK_THAT(error.what(), Catch::StartsWith("config.url: not a PostgreSQL URL: "));
    CHECK_THAT(error.what(), !Catch::Contains("pw"));
  }
}

TEST_CASE("include and exclude patterns match SCHEMA.TABLE, exclude wins") {
  sql_common::TableFilter filter{{"public.*", "audit.events_20??"}, {"public.tmp_*"}};
  CHECK(filter.accepts("public", "orders"));
  CHECK_FALSE(filter.accepts("public", "tmp_orders"));
  CHECK(filter.accepts("audit", "events_2024"));
  CHECK_FALSE(filter.accepts("audit", "events_20245"));
  CHECK_FALSE(filter.accepts("sales", "orders"));
  CHECK(sql_common::TableFilter{}.accepts("any", "thing"));
  CHECK(sql_common::glob_match("*a*b*", "xxaxxbxx"));
  CHECK_FALSE(sql_common::glob_match("*a*b", "xxaxxbxx"));
}

TEST_CASE("the shared value text: base64 of bytes, compact JSON, quoted names with a limit") {
  std::string out;
  sql_common::append_base64(out, "Ma");
  CHECK(out == "TWE=");
  out.clear();
  CHECK_FALSE(sql_common::append_base64_of_hex(out, "\\x4g"));
  CHECK(out.empty());
  out.clear();
  sql_common::append_compact_json(out, "[ \"a \\\" b\" , { } ]");
  CHECK(out == "[\"a \\\" b\",{}]");
  CHECK(sql_common::quote_identifier("a`b", "column", {'`', 64}) == "`a``b`");
  CHECK(sql_common::printable(std::string(100, 'x')) == std::string(80, 'x') + "...");
}
