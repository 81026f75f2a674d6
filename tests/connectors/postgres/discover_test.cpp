// Discovery from pg_catalog: schemas are namespaces, tables and views are
// streams (views marked), columns typed, primary keys found; the schemas,
// include and exclude settings choose what is listed.
#include "pg_source_fixture.hpp"

#include <catch2/catch.hpp>

using namespace pg_source_test;

TEST_CASE("discover lists tables and views per schema with typed columns, nullability and primary keys") {
  PgSourceFixture f;
  f.source->exec("CREATE SCHEMA billing;"
                 "CREATE TABLE billing.invoices (account text, number int, total numeric(12,2) NOT NULL, "
                 "  issued timestamptz, PRIMARY KEY (number, account));"
                 "CREATE VIEW billing.open_invoices AS SELECT * FROM billing.invoices;"
                 "CREATE TABLE public.notes (id serial PRIMARY KEY, body text)");
  f.write_connection();
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 3);
  const auto& invoices = streams[0].as_object();
  CHECK(invoices.at("namespace") == "billing");
  CHECK(invoices.at("name") == "invoices");
  CHECK(invoices.at("description") == "table billing.invoices");
  CHECK(invoices.at("primary_key") == json::parse(R"([["number"], ["account"]])"));
  const auto& properties = invoices.at("json_schema").at("properties");
  CHECK(properties.at("total") == json::parse(R"J({"type": "string", "format": "decimal", "x-postgres-type": "numeric(12,2)"})J"));
  CHECK(properties.at("issued") ==
        json::parse(R"J({"type": ["string", "null"], "format": "date-time", "x-postgres-type": "timestamp with time zone"})J"));
  CHECK(streams[1].at("name") == "open_invoices");
  CHECK(streams[1].at("description") == "view billing.open_invoices");
  CHECK(streams[1].at("primary_key") == json::array());
  CHECK(streams[2].at("namespace") == "public");
}

TEST_CASE("schemas, include and exclude choose the streams") {
  PgSourceFixture f;
  f.source->exec("CREATE SCHEMA a; CREATE SCHEMA b;"
                 "CREATE TABLE a.keep_1 (id int); CREATE TABLE a.keep_2 (id int); CREATE TABLE a.tmp_x (id int);"
                 "CREATE TABLE b.other (id int)");
  f.write_connection({}, {{"schemas", json::array{"a"}}, {"include", json::array{"a.*"}}, {"exclude", json::array{"*.tmp_*"}}});
  std::vector<std::string> names;
  for (const auto& stream : f.discover_streams()) names.emplace_back(stream.at("name").as_string());
  CHECK(names == std::vector<std::string>{"keep_1", "keep_2"});
}
