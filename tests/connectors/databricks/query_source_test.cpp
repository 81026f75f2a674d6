// The connector's query() in process against the fake workspace and its
// storage host (TLS), on a test clock (HttpOptions::now and ::sleep): typed
// columns and values, named parameters on the wire, the wait, the timeout
// and every cancel reaching Databricks, and a huge result in bounded memory.
#include "fake_databricks.hpp"
#include "fixture_tables.hpp"
#include "query.hpp"
#include "settings.hpp"

#include "common/query_host.hpp"
#include "common/temp_dir.hpp"

#include <testkit/fake_server.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>

using namespace databricks;
using databricks_fake::FakeDatabricks;

namespace {

constexpr const char* kToken = "dapi0123456789abcdef-test";

struct QueryBench {
  explicit QueryBench(int concurrency = 4) {
    fake.set_storage_base_url(storage.base_url());
    databricks_test::add_all_types_table(fake.warehouse());
    std::ifstream workspace_pem(server.ca_file()), storage_pem(storage.ca_file());
    std::ostringstream both;
    both << workspace_pem.rdbuf() << storage_pem.rdbuf();
    settings = read_settings(sluice::Config(json::object{
        {"server_hostname", "dbc-a1b2c3d4-e5f6.cloud.databricks.com"},
        {"http_path", std::string("/sql/1.0/warehouses/") + databricks_fake::kWarehouseId},
        {"catalog", "main"},
        {"credentials", {{"auth_type", "personal_access_token"}, {"token", kToken}}},
        {"concurrency", concurrency},
        {"base_url", server.base_url()},
        {"ca_file", dir.write("trusted.pem", both.str())}}));
    api = std::make_unique<DatabricksApi>(settings, log,
                                          [this](sluice::support::HttpOptions& options) { clock.install(options); });
  }

  void run(const sluice::QueryRequest& request) {
    run_query(*api, settings, request, ctx);
    ctx.flush();
  }
  std::string error_of(const sluice::QueryRequest& request) {
    try {
      run(request);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "(no error)";
  }

  sluice::test::TempDir dir;
  FakeDatabricks fake{"main", kToken};
  sluice::testkit::FakeServer server{[this](const sluice::testkit::FakeRequest& r) { return fake.handle(r); }};
  sluice::testkit::FakeServer storage{[this](const sluice::testkit::FakeRequest& r) { return fake.handle_storage(r); },
                                      [] {
                                        sluice::testkit::CertificateSpec spec;
                                        spec.common_name = "storage.sluice-test";
                                        spec.serial = 2;
                                        return spec;
                                      }()};
  sluice::test::TestClock clock;
  sluice::test::QueryHost host;
  sluice::Logger log{host.api()};
  sluice::QueryContext ctx{host.api()};
  Settings settings;
  std::unique_ptr<DatabricksApi> api;
};

}  // namespace

TEST_CASE("a query's columns carry discover's JSON Schema and the type_text of every Databricks type, its rows the values a sync writes") {
  QueryBench bench;
  bench.run(sluice::test::query_request("SELECT * FROM `sales`.`all_types` ORDER BY id"));
  CHECK(bench.host.columns() == json::parse(R"J([
    {"name": "id", "schema": {"type": ["integer", "null"]}, "source_type": "bigint"},
    {"name": "big", "schema": {"type": ["integer", "null"]}, "source_type": "bigint"},
    {"name": "small", "schema": {"type": ["integer", "null"]}, "source_type": "smallint"},
    {"name": "price", "schema": {"type": ["string", "null"], "format": "decimal"}, "source_type": "decimal(38,10)"},
    {"name": "ratio", "schema": {"type": ["number", "null"]}, "source_type": "double"},
    {"name": "name", "schema": {"type": ["string", "null"]}, "source_type": "string"},
    {"name": "flag", "schema": {"type": ["boolean", "null"]}, "source_type": "boolean"},
    {"name": "day", "schema": {"type": ["string", "null"], "format": "date"}, "source_type": "date"},
    {"name": "at", "schema": {"type": ["string", "null"], "format": "date-time"}, "source_type": "timestamp"},
    {"name": "local_at", "schema": {"type": ["string", "null"]}, "source_type": "timestamp_ntz"},
    {"name": "raw", "schema": {"type": ["string", "null"], "contentEncoding": "base64"}, "source_type": "binary"},
    {"name": "tags", "schema": {"type": ["array", "null"]}, "source_type": "array<string>"},
    {"name": "attrs", "schema": {"type": ["object", "null"]}, "source_type": "map<string,int>"},
    {"name": "address", "schema": {"type": ["object", "null"]}, "source_type": "struct<city:string,zip:string>"},
    {"name": "doc", "schema": {}, "source_type": "variant"},
    {"name": "wait", "schema": {"type": ["string", "null"]}, "source_type": "interval day to second"}])J"));
  REQUIRE(bench.host.rows.size() == 2);
  CHECK(bench.host.rows[0] ==
        "[1,9223372036854775807,-32768,\"1234567890123456789012345678.0123456789\",1.5,\"caf\xc3\xa9 \\\"quoted\\\"\","
        "true,\"2024-02-29\",\"2024-05-01T09:51:12.345678Z\",\"2024-05-01T09:51:12.000001\",\"SGVsbG8=\",[\"x\",\"y\"],"
        "{\"a\":1,\"b\":2},{\"city\":\"Lyon\",\"zip\":\"69001\"},{\"plan\":\"pro\",\"seats\":5},\"1 02:03:04.000000000\"]");
  CHECK(bench.host.rows[1] == "[2,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null]");
  CHECK(bench.ctx.facts.at("statement_id") == json::value(bench.fake.statements().empty() ? "" : "01ef-1000-fake-statement"));
  CHECK(bench.ctx.facts.at("rows") == 2);
  const auto sent = bench.fake.statements().at(0);
  CHECK(sent.at("disposition") == "EXTERNAL_LINKS");
  CHECK(sent.at("wait_timeout") == "50s");
  CHECK(sent.at("on_wait_timeout") == "CONTINUE");
  CHECK(bench.fake.cancelled().empty());
}

TEST_CASE("every parameter travels as a named, typed parameter, the SQL keeps its :name markers, and Databricks filters with the values") {
  QueryBench bench;
  const std::string sql =
      "SELECT id FROM `sales`.`all_types` WHERE name = :name AND id >= :min_id AND ratio < :ratio AND flag = :flag "
      "AND day = :day AND at >= :since AND id <> :min_id - 1";
  std::vector<sluice::QueryParameter> parameters{{"name", "string", "caf\xc3\xa9 \"quoted\""},
                                                 {"min_id", "integer", 1},
                                                 {"ratio", "number", 2.5},
                                                 {"flag", "boolean", true},
                                                 {"day", "date", "2024-02-29"},
                                                 {"since", "timestamp", "2024-05-01T11:00:00+02:00"}};
  bench.run(sluice::test::query_request(sql, parameters));
  CHECK(bench.host.rows == std::vector<std::string>{"[1]"});
  const auto sent = bench.fake.statements().at(0);
  CHECK(sent.at("statement") == json::value(sql));
  CHECK(sent.at("parameters") == json::parse(R"([
    {"name": "name", "type": "STRING", "value": "café \"quoted\""},
    {"name": "min_id", "type": "BIGINT", "value": "1"},
    {"name": "ratio", "type": "DOUBLE", "value": "2.5"},
    {"name": "flag", "type": "BOOLEAN", "value": "true"},
    {"name": "day", "type": "DATE", "value": "2024-02-29"},
    {"name": "since", "type": "TIMESTAMP", "value": "2024-05-01T11:00:00+02:00"}])"));

  // A value that would change the statement if it were pasted only fails to match.
  parameters[0].value = "' OR 1=1 --";
  bench.host.rows.clear();
  bench.run(sluice::test::query_request(sql, parameters));
  CHECK(bench.host.rows.empty());
}

TEST_CASE("a :name without its parameter fails as Databricks fails it: UNBOUND_SQL_PARAMETER, a config error") {
  QueryBench bench;
  try {
    bench.run(sluice::test::query_request("SELECT id FROM `sales`.`all_types` WHERE id = :id AND name = :name", {{"id", "integer", 1}}));
    FAIL("the query ran");
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::config);
    CHECK(std::string(e.what()) ==
          "the query failed: Databricks error BAD_REQUEST (42P02): [UNBOUND_SQL_PARAMETER] Found the unbound parameter: "
          "name. SQLSTATE: 42P02");
  }
}

TEST_CASE("a statement still running at the query's timeout is polled until then and cancelled at the source") {
  QueryBench bench;
  bench.fake.set_pending_polls(-1);
  CHECK(bench.error_of(sluice::test::query_request("SELECT 1 AS one", {}, 3)) == "the query did not complete within its timeout (3 s)");
  const auto sent = bench.fake.statements().at(0);
  CHECK(sent.at("wait_timeout") == "0s");  // the API takes 0 or 5-50 s: below 5, no wait in the request
  CHECK(sent.at("on_wait_timeout") == "CONTINUE");
  REQUIRE(bench.fake.cancelled().size() == 1);
  CHECK(bench.fake.cancelled()[0] == "01ef-1000-fake-statement");
  // The statement is cancelled at the source: its status says so.
  sluice::support::HttpOptions options;
  options.ca_file = bench.server.ca_file();
  sluice::support::HttpClient client(options);
  const json::value status = client.get_json(bench.server.base_url() + "/api/2.0/sql/statements/01ef-1000-fake-statement",
                                             {{"Authorization", std::string("Bearer ") + kToken}});
  CHECK(status.at("status").at("state") == "CANCELED");
  CHECK(bench.clock.elapsed() == std::chrono::seconds(3));  // on the test clock, never for real
}

TEST_CASE("a long timeout waits 50 s in the request (the API's most), then polls, then cancels at the timeout") {
  QueryBench bench;
  bench.fake.set_pending_polls(-1);
  CHECK(bench.error_of(sluice::test::query_request("SELECT 1 AS one", {}, 120)) == "the query did not complete within its timeout (120 s)");
  CHECK(bench.fake.statements().at(0).at("wait_timeout") == "50s");
  CHECK(bench.fake.cancelled().size() == 1);
  CHECK(bench.clock.elapsed() == std::chrono::seconds(120));
}

TEST_CASE("the host cancelling while the statement runs (Ctrl-C) cancels it at the source") {
  QueryBench bench;
  bench.fake.set_pending_polls(-1);
  bench.clock.on_sleep = [&] {
    if (bench.clock.sleeps() == 5) bench.host.cancelled = true;
  };
  CHECK_THROWS_AS(bench.run(sluice::test::query_request("SELECT 1 AS one")), sluice::Cancelled);
  CHECK(bench.fake.cancelled().size() == 1);
  CHECK(bench.host.row_count == 0);
}

TEST_CASE("a row limit reached in the first chunk cancels the statement at the source") {
  QueryBench bench;
  bench.fake.set_chunk_rows(2000);
  bench.host.stop_after_rows = 2000;
  CHECK_THROWS_AS(bench.run(sluice::test::query_request("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
                                       "SELECT i FROM n")),
                  sluice::Cancelled);
  CHECK(bench.host.row_count == 2000);
  REQUIRE(bench.fake.cancelled().size() == 1);
  CHECK(bench.ctx.facts.at("statement_id") == json::value(bench.fake.cancelled()[0]));
}

TEST_CASE("a 1,000,000-row result streams in bounded memory: chunks are downloaded at most `concurrency` ahead of the rows handed over") {
  QueryBench bench(2);
  bench.fake.set_chunk_rows(100000);
  bench.host.keep_rows = false;
  size_t most_ahead = 0;
  bench.host.on_batch = [&] {
    size_t fetched = 0;
    for (size_t i = 0; i < 10; ++i) fetched += bench.fake.downloads(i) > 0 ? 1 : 0;
    const size_t delivered = bench.host.row_count / 100000;
    most_ahead = std::max(most_ahead, fetched - std::min(fetched, delivered));
  };
  bench.run(sluice::test::query_request("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                       "SELECT i FROM n"));
  CHECK(bench.host.row_count == 1000000);
  CHECK(bench.ctx.facts.at("rows") == 1000000);
  CHECK(most_ahead <= 3);  // the chunk being handed over and at most 2 more
}
