// Discovery through the CLI against the fake: datasets.list, tables.list and
// tables.get, every type, views marked, datasets as namespaces.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;

namespace {

const json::object& find_stream(const json::array& streams, const std::string& ns, const std::string& name) {
  for (const auto& stream : streams) {
    if (stream.at("namespace") == ns.c_str() && stream.at("name") == name.c_str()) return stream.as_object();
  }
  throw std::runtime_error("no stream " + ns + "." + name);
}

}  // namespace

TEST_CASE("discover lists every dataset's tables and views, paging through both lists") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  auto view = orders_table(1, 1);
  view.type = "VIEW";
  f.fake->add_table("sales", "v_orders", view);
  f.fake->add_table("sales", "all_types", all_types_table());
  f.fake->add_table("marketing", "campaigns", orders_table(1, 1));
  f.fake->add_dataset("empty");
  f.fake->set_list_page_size(1);  // every list takes several pages
  f.write_connection();

  auto streams = f.discover_streams();
  REQUIRE(streams.size() == 4);
  auto orders = find_stream(streams, "sales", "orders");
  CHECK(orders.at("json_schema").at("x-bigquery-table-type") == "TABLE");
  CHECK(orders.at("supported_sync_modes").as_array().size() == 4);
  CHECK(orders.at("default_cursor_field").as_array().empty());
  CHECK(orders.at("primary_key").as_array().empty());
  auto v_orders = find_stream(streams, "sales", "v_orders");
  CHECK(v_orders.at("json_schema").at("x-bigquery-table-type") == "VIEW");
  CHECK(v_orders.at("description") == "BigQuery VIEW sales.v_orders");
  CHECK(find_stream(streams, "marketing", "campaigns").at("namespace") == "marketing");
  // Every table described, each with one tables.get.
  for (const char* table : {"/datasets/sales/tables/orders", "/datasets/sales/tables/v_orders",
                            "/datasets/sales/tables/all_types", "/datasets/marketing/tables/campaigns"}) {
    CHECK(f.requests_to("GET", kApiRoot + table) == 1);
  }

  // Only the named datasets when `datasets` is set.
  f.write_connection({}, {{"datasets", json::array{"marketing"}}});
  auto only = f.discover_streams();
  REQUIRE(only.size() == 1);
  CHECK(only[0].at("name") == "campaigns");
}

TEST_CASE("discover maps every BigQuery type, nested records and repeated fields to JSON Schema") {
  BigQueryFixture f;
  f.fake->add_table("sales", "all_types", all_types_table());
  f.write_connection();
  auto schema = find_stream(f.discover_streams(), "sales", "all_types").at("json_schema").as_object();
  const auto& p = schema.at("properties").as_object();
  CHECK(p.at("id") == json::parse(R"({"type":"integer","x-bigquery-type":"INT64"})"));
  CHECK(p.at("payload") == json::parse(R"({"type":["string","null"],"contentEncoding":"base64","x-bigquery-type":"BYTES"})"));
  CHECK(p.at("amount") == json::parse(R"({"type":["string","null"],"format":"decimal","x-bigquery-type":"NUMERIC"})"));
  CHECK(p.at("big") == json::parse(R"({"type":["string","null"],"format":"decimal","x-bigquery-type":"BIGNUMERIC"})"));
  CHECK(p.at("ratio") == json::parse(R"({"type":["number","null"],"x-bigquery-type":"FLOAT64"})"));
  CHECK(p.at("active") == json::parse(R"({"type":["boolean","null"],"x-bigquery-type":"BOOL"})"));
  CHECK(p.at("created_at") == json::parse(R"({"type":["string","null"],"format":"date-time","x-bigquery-type":"TIMESTAMP"})"));
  CHECK(p.at("day") == json::parse(R"({"type":["string","null"],"format":"date","x-bigquery-type":"DATE"})"));
  CHECK(p.at("at_time") == json::parse(R"({"type":["string","null"],"format":"time","x-bigquery-type":"TIME"})"));
  CHECK(p.at("local_dt") == json::parse(R"({"type":["string","null"],"x-bigquery-type":"DATETIME"})"));
  CHECK(p.at("doc") == json::parse(R"({"x-bigquery-type":"JSON"})"));
  CHECK(p.at("place") == json::parse(R"({"type":["string","null"],"x-bigquery-type":"GEOGRAPHY"})"));
  CHECK(p.at("tags") == json::parse(R"({"type":"array","items":{"type":"string"},"x-bigquery-type":"STRING","x-bigquery-mode":"REPEATED"})"));
  const auto& customer = p.at("customer").as_object();
  CHECK(customer.at("type") == json::parse(R"(["object","null"])"));
  CHECK(customer.at("properties").at("address").at("properties").at("zip").at("type") == json::parse(R"(["string","null"])"));
  const auto& lines = p.at("lines").as_object();
  CHECK(lines.at("type") == "array");
  CHECK(lines.at("items").at("properties").at("shipped_at").at("format") == "date-time");
  CHECK(lines.at("items").at("properties").at("qty").at("type") == json::parse(R"(["integer","null"])"));
}

TEST_CASE("a sync of one selected table describes only that table, once, with one access token") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  f.fake->add_table("sales", "customers", orders_table(1, 2));
  f.fake->add_table("sales", "all_types", all_types_table());
  f.fake->add_table("marketing", "campaigns", orders_table(1, 1));
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM sales__orders") == sluice::test::Rows{{"3"}});
  // Discover described orders and read used that description.
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables/orders") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables/customers") == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables/all_types") == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/marketing/tables/campaigns") == 0);
  // A namespaced selection needs no listing.
  CHECK(f.requests_to("GET", kApiRoot + "/datasets") == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables") == 0);
  CHECK(f.fake->tokens_issued() == 1);

  // The next sync is a new session: one more description, one more token.
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables/orders") == 2);
  CHECK(f.fake->tokens_issued() == 2);
}

TEST_CASE("a selected stream without a namespace is found by name in the datasets and only it is described") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  f.fake->add_table("marketing", "campaigns", orders_table(1, 2));
  f.fake->add_table("marketing", "budgets", orders_table(1, 1));
  f.write_connection({json::object{{"name", "campaigns"}, {"mode", "full_refresh_overwrite"}}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM marketing__campaigns") == sluice::test::Rows{{"2"}});
  CHECK(f.requests_to("GET", kApiRoot + "/datasets") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/marketing/tables") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/marketing/tables/campaigns") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/marketing/tables/budgets") == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables/orders") == 0);

  // With `datasets` set, only those are searched.
  f.write_connection({json::object{{"name", "campaigns"}, {"mode", "full_refresh_overwrite"}}},
                     {{"datasets", json::array{"marketing"}}});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/sales/tables") == 1);
  CHECK(f.requests_to("GET", kApiRoot + "/datasets/marketing/tables") == 2);
}
