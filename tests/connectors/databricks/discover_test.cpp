// Discovery through Unity Catalog: every type's JSON Schema, views marked,
// primary keys, schemas listed page by page (an empty page with a token too).
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace databricks_test;

namespace {

const json::object& stream_named(const json::array& streams, const std::string& name) {
  for (const auto& stream : streams) {
    if (stream.at("name") == json::value(name)) return stream.as_object();
  }
  throw std::runtime_error("no stream " + name);
}

}  // namespace

TEST_CASE("discover lists the catalog's tables and views as CATALOG.SCHEMA streams with every type's schema") {
  DatabricksFixture f;
  add_all_types_table(f.fake->warehouse());
  add_orders_table(f.fake->warehouse(), 1, 2);
  f.fake->warehouse().create_table("reporting", "daily_totals", {{"day", "DATE"}, {"total", "DECIMAL(18,2)"}}, {}, true);
  f.fake->set_uc_paging(1, true);  // one item a page, after an empty page that carries a token
  f.write_connection();
  const json::array streams = f.discover_streams();
  REQUIRE(streams.size() == 3);
  const auto& all = stream_named(streams, "all_types");
  CHECK(all.at("namespace") == "main.sales");
  CHECK(all.at("primary_key") == json::parse(R"([["id"]])"));
  CHECK(all.at("json_schema").at("properties") == json::parse(R"({
    "id": {"type": "integer"}, "big": {"type": ["integer", "null"]}, "small": {"type": ["integer", "null"]},
    "price": {"type": ["string", "null"], "format": "decimal"}, "ratio": {"type": ["number", "null"]},
    "name": {"type": ["string", "null"]}, "flag": {"type": ["boolean", "null"]},
    "day": {"type": ["string", "null"], "format": "date"}, "at": {"type": ["string", "null"], "format": "date-time"},
    "local_at": {"type": ["string", "null"]}, "raw": {"type": ["string", "null"], "contentEncoding": "base64"},
    "tags": {"type": ["array", "null"]}, "attrs": {"type": ["object", "null"]}, "address": {"type": ["object", "null"]},
    "doc": {}, "wait": {"type": ["string", "null"]}})"));
  const auto& view = stream_named(streams, "daily_totals");
  CHECK(view.at("namespace") == "main.reporting");
  CHECK_THAT(std::string(view.at("description").as_string()), Catch::StartsWith("view main.reporting.daily_totals"));
  CHECK_THAT(std::string(stream_named(streams, "orders").at("description").as_string()),
             Catch::StartsWith("table main.sales.orders"));
}

TEST_CASE("configured schemas limit discovery to them, without listing the catalog's schemas") {
  DatabricksFixture f;
  add_orders_table(f.fake->warehouse(), 1, 2);
  f.fake->warehouse().create_table("reporting", "daily_totals", {{"day", "DATE"}});
  f.write_connection({}, {{"schemas", json::array{"reporting"}}});
  const json::array streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("name") == "daily_totals");
  for (const auto& request : f.server->requests()) CHECK(request.path != "/api/2.1/unity-catalog/schemas");
}
