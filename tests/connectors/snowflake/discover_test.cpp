// Discovery through INFORMATION_SCHEMA: every table a stream in
// DATABASE.SCHEMA, every type with its JSON Schema, declared keys.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;

namespace {

const json::object& stream_named(const json::array& streams, const std::string& name) {
  for (const auto& stream : streams) {
    if (stream.at("name") == name.c_str()) return stream.as_object();
  }
  throw std::runtime_error("no stream " + name);
}

}  // namespace

TEST_CASE("discover lists every table of every schema with each Snowflake type's JSON Schema and the declared key") {
  SnowflakeFixture f;
  add_all_types_table(f.fake->database());
  add_orders_table(f.fake->database(), 1, 3);
  f.fake->database().create_table("Raw Events", "Events \"2024\"", {{"Id", "NUMBER(18,0)"}}, {}, /*view=*/true);
  f.write_connection();
  const json::array streams = f.discover_streams();
  REQUIRE(streams.size() == 3);
  const auto& all = stream_named(streams, "ALL_TYPES");
  CHECK(all.at("namespace") == "SALES.PUBLIC");
  CHECK(all.at("primary_key") == json::parse(R"([["ID"]])"));
  CHECK(all.at("json_schema").at("properties") == json::parse(R"({
    "ID": {"type": "integer"},
    "BIG": {"type": ["string", "null"], "format": "decimal"},
    "PRICE": {"type": ["string", "null"], "format": "decimal"},
    "RATIO": {"type": ["number", "null"]},
    "NAME": {"type": ["string", "null"]},
    "FLAG": {"type": ["boolean", "null"]},
    "DAY": {"type": ["string", "null"], "format": "date"},
    "AT_TIME": {"type": ["string", "null"], "format": "time"},
    "NTZ": {"type": ["string", "null"]},
    "LTZ": {"type": ["string", "null"]},
    "TZ": {"type": ["string", "null"]},
    "DOC": {},
    "ATTRS": {"type": ["object", "null"]},
    "TAGS": {"type": ["array", "null"]},
    "RAW": {"type": ["string", "null"], "contentEncoding": "base64"},
    "PLACE": {"type": ["object", "null"]}})"));
  CHECK(all.at("description") == "table SALES.PUBLIC.ALL_TYPES");
  const auto& hostile = stream_named(streams, "Events \"2024\"");
  CHECK(hostile.at("namespace") == "SALES.Raw Events");
  CHECK(hostile.at("description") == "view SALES.Raw Events.Events \"2024\"");
  // Two statements, each binding its values.
  const auto statements = f.fake->statements();
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].at("statement").as_string().find("INFORMATION_SCHEMA.COLUMNS") != std::string::npos);
  CHECK(statements[0].at("bindings") == json::parse(R"({"1": {"type": "TEXT", "value": "INFORMATION_SCHEMA"}})"));
  CHECK(statements[1].at("statement") == "SHOW PRIMARY KEYS IN DATABASE \"SALES\"");
}

TEST_CASE("discover reads only the configured schemas") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 3);
  f.fake->database().create_table("OTHER", "HIDDEN", {{"ID", "NUMBER(18,0)"}});
  f.write_connection({}, {{"schemas", json::array{"PUBLIC"}}});
  const json::array streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("name") == "ORDERS");
  CHECK(f.fake->statements()[0].at("bindings").at("2").at("value") == "PUBLIC");
}

TEST_CASE("check runs one statement in the configured context and says who it is") {
  SnowflakeFixture f;
  f.write_connection();
  auto result = f.check();
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.all(), Catch::Contains("connected to Snowflake as user SLUICE, role SLUICE_READER"));
  const auto statements = f.fake->statements();
  REQUIRE(statements.size() == 1);
  CHECK(statements[0].at("warehouse") == "SLUICE_WH");
  CHECK(statements[0].at("role") == "SLUICE_READER");
  CHECK(statements[0].at("database") == "SALES");
  // The wire: a KEYPAIR_JWT, JSON accepted, a User-Agent of ours.
  const auto request = f.server->requests().front();
  CHECK(request.header("X-Snowflake-Authorization-Token-Type") == "KEYPAIR_JWT");
  CHECK(request.header("Accept") == "application/json");
  CHECK(request.header("User-Agent") == "sluice-snowflake/1.0");
  CHECK(request.query("requestId").size() == 36);
}
