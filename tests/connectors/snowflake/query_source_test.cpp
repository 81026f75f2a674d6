// The connector's query() in process against the fake SQL API (TLS), on a
// test clock (HttpOptions::now and ::sleep, shared with the fake's statement
// clock): typed columns and values, bindings on the wire, the timeout and
// every cancel reaching Snowflake, and a huge result in bounded memory.
#include "fake_snowflake.hpp"
#include "fixture_tables.hpp"
#include "query.hpp"
#include "settings.hpp"
#include "snowflake_api.hpp"

#include "common/query_host.hpp"

#include <testkit/fake_server.hpp>

#include <catch2/catch.hpp>

#include <atomic>

using namespace snowflake;
using snowflake_fake::FakeSnowflake;
namespace json = boost::json;

namespace {

constexpr const char* kToken = "oauth-token-for-tests";

struct QueryBench {
  explicit QueryBench(int concurrency = 4) {
    fake.set_oauth_token(kToken);
    fake.set_statement_clock([this] { return clock.now(); });
    snowflake_test::add_all_types_table(fake.database());
    settings = read_settings(sluice::Config(json::object{
        {"account", "myorg-myaccount"}, {"user", "SLUICE_READER"}, {"database", "SALES"},
        {"credentials", {{"auth_type", "oauth"}, {"token", kToken}}}, {"concurrency", concurrency},
        {"base_url", server.base_url()}, {"ca_file", server.ca_file()}}));
    api = std::make_unique<SnowflakeApi>(settings, log,
                                         [this](sluice::support::HttpOptions& options) { clock.install(options); });
  }

  // Runs the query as the SDK's glue does (the last rows flushed at the end).
  void run(const sluice::QueryRequest& request) {
    run_query(*api, settings, request, ctx);
    ctx.flush();
  }

  FakeSnowflake fake{"myorg-myaccount", "SLUICE_READER", "", "SALES"};
  sluice::testkit::FakeServer server{[this](const sluice::testkit::FakeRequest& r) { return fake.handle(r); }};
  sluice::test::TestClock clock;
  sluice::test::QueryHost host;
  sluice::Logger log{host.api()};
  sluice::QueryContext ctx{host.api()};
  Settings settings;
  std::unique_ptr<SnowflakeApi> api;
};

std::string error_of(QueryBench& bench, const sluice::QueryRequest& request) {
  try {
    bench.run(request);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a query's columns carry discover's JSON Schema and the rowType name of every Snowflake type, its rows the values a sync writes") {
  QueryBench bench;
  bench.run(sluice::test::query_request("SELECT * FROM \"PUBLIC\".\"ALL_TYPES\" ORDER BY \"ID\""));
  CHECK(bench.host.columns() == json::parse(R"([
    {"name": "ID", "schema": {"type": ["integer", "null"]}, "source_type": "fixed"},
    {"name": "BIG", "schema": {"type": ["string", "null"], "format": "decimal"}, "source_type": "fixed"},
    {"name": "PRICE", "schema": {"type": ["string", "null"], "format": "decimal"}, "source_type": "fixed"},
    {"name": "RATIO", "schema": {"type": ["number", "null"]}, "source_type": "real"},
    {"name": "NAME", "schema": {"type": ["string", "null"]}, "source_type": "text"},
    {"name": "FLAG", "schema": {"type": ["boolean", "null"]}, "source_type": "boolean"},
    {"name": "DAY", "schema": {"type": ["string", "null"], "format": "date"}, "source_type": "date"},
    {"name": "AT_TIME", "schema": {"type": ["string", "null"], "format": "time"}, "source_type": "time"},
    {"name": "NTZ", "schema": {"type": ["string", "null"]}, "source_type": "timestamp_ntz"},
    {"name": "LTZ", "schema": {"type": ["string", "null"]}, "source_type": "timestamp_ltz"},
    {"name": "TZ", "schema": {"type": ["string", "null"]}, "source_type": "timestamp_tz"},
    {"name": "DOC", "schema": {}, "source_type": "variant"},
    {"name": "ATTRS", "schema": {"type": ["object", "null"]}, "source_type": "object"},
    {"name": "TAGS", "schema": {"type": ["array", "null"]}, "source_type": "array"},
    {"name": "RAW", "schema": {"type": ["string", "null"], "contentEncoding": "base64"}, "source_type": "binary"},
    {"name": "PLACE", "schema": {"type": ["object", "null"]}, "source_type": "geography"}])"));
  REQUIRE(bench.host.rows.size() == 2);
  CHECK(bench.host.rows[0] ==
        "[1,\"12345678901234567890123456789012345678\",\"5.00\",1.5,\"caf\xc3\xa9 \\\"quoted\\\"\",true,\"2024-05-01\","
        "\"12:34:56.123456789\",\"2024-05-01T09:51:12.345678912\",\"2024-05-01T09:51:12.345678912Z\","
        "\"2024-05-01T11:51:12.345678912+02:00\",{\"plan\":\"pro\",\"seats\":5},{\"a\":{\"b\":[1,2]}},[\"x\",2],"
        "\"SGVsbG8=\",{\"coordinates\":[-122.35,37.55],\"type\":\"Point\"}]");
  CHECK(bench.host.rows[1] == "[2,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null]");
  CHECK(bench.fake.statements().size() == 1);
  CHECK_FALSE(bench.ctx.facts.at("statement_handle").as_string().empty());
  CHECK(bench.ctx.facts.at("rows") == 2);
  CHECK(bench.fake.cancelled().empty());
}

TEST_CASE("every parameter travels as a typed binding for its ?, the SQL keeps its placeholders, and Snowflake filters with the values") {
  QueryBench bench;
  const std::string sql =
      "SELECT \"ID\" FROM \"PUBLIC\".\"ALL_TYPES\" WHERE \"NAME\" = ? AND \"ID\" >= ? AND \"RATIO\" < ? AND \"FLAG\" = ? "
      "AND \"DAY\" = ? AND \"TZ\" >= ?";
  std::vector<sluice::QueryParameter> parameters{{"name", "string", "caf\xc3\xa9 \"quoted\""},
                                                 {"min_id", "integer", 1},
                                                 {"ratio", "number", 2.5},
                                                 {"flag", "boolean", true},
                                                 {"day", "date", "2024-05-01"},
                                                 {"since", "timestamp", "2024-05-01T11:00:00+02:00"}};
  bench.run(sluice::test::query_request(sql, parameters));
  CHECK(bench.host.rows == std::vector<std::string>{"[1]"});
  const auto sent = bench.fake.statements().at(0);
  CHECK(sent.at("statement") == json::value(sql));
  CHECK(sent.at("bindings") == json::parse(R"({
    "1": {"type": "TEXT", "value": "café \"quoted\""},
    "2": {"type": "FIXED", "value": "1"},
    "3": {"type": "REAL", "value": "2.5"},
    "4": {"type": "BOOLEAN", "value": "true"},
    "5": {"type": "DATE", "value": "1714521600000"},
    "6": {"type": "TIMESTAMP_TZ", "value": "1714554000000000000 1560"}})"));

  // A value that would change the statement if it were pasted only fails to match.
  parameters[0].value = "' OR 1=1 --";
  bench.host.rows.clear();
  bench.run(sluice::test::query_request(sql, parameters));
  CHECK(bench.host.rows.empty());
  CHECK(bench.fake.statements().at(1).at("statement") == json::value(sql));
}

TEST_CASE("a ? without its binding is refused as Snowflake refuses it: a config error naming the query") {
  QueryBench bench;
  const std::string message = error_of(
      bench, sluice::test::query_request("SELECT \"ID\" FROM \"PUBLIC\".\"ALL_TYPES\" WHERE \"ID\" = ? AND \"NAME\" = ?", {{"id", "integer", 1}}));
  CHECK(message == "the query failed: Snowflake error 002049 (42601): SQL compilation error: bind variable 2 not set.");
  try {
    bench.run(sluice::test::query_request("SELECT ? AS x"));
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::config);
  }
}

TEST_CASE("a parameter whose value is not of its type is refused before anything is sent") {
  QueryBench bench;
  CHECK(error_of(bench, sluice::test::query_request("SELECT ? AS d", {{"day", "date", "2024-02-30"}})) ==
        "parameter day: date wants a day, YYYY-MM-DD");
  CHECK(error_of(bench, sluice::test::query_request("SELECT ? AS n", {{"n", "integer", "12"}})) ==
        "parameter n: integer wants a whole number within 64 bits");
  CHECK(bench.fake.statements().empty());
}

TEST_CASE("the statement carries the query's timeout, and Snowflake cancelling it there (408) ends the query with the cancel sent") {
  QueryBench bench;
  bench.fake.set_pending_polls(-1);
  const std::string message = error_of(bench, sluice::test::query_request("SELECT 1 AS one", {}, 7));
  CHECK(message ==
        "the query ran past its timeout and was cancelled: Snowflake error 000630 (57014): Statement reached its "
        "statement or warehouse timeout of 7 second(s) and was canceled.");
  REQUIRE(bench.fake.statements().size() == 1);
  CHECK(bench.fake.statements()[0].at("timeout") == 7);
  CHECK(bench.fake.cancelled().size() == 1);
  // Seven seconds of the test clock, never slept for real.
  CHECK(bench.clock.elapsed() == std::chrono::seconds(7));
}

TEST_CASE("when Sluice's own wait runs out first, it cancels the statement at the source itself") {
  QueryBench bench;
  bench.fake.set_pending_polls(-1);
  bench.fake.set_statement_clock([] { return std::chrono::system_clock::now(); });  // Snowflake never times it out
  CHECK(error_of(bench, sluice::test::query_request("SELECT 1 AS one", {}, 3)) == "the query did not complete within its timeout (3 s)");
  REQUIRE(bench.fake.cancelled().size() == 1);
  // The statement is cancelled at the source: its status says so.
  sluice::support::HttpOptions options;
  options.ca_file = bench.server.ca_file();
  options.retry.max_attempts = 1;
  sluice::support::HttpClient client(options);
  sluice::support::HttpRequest status;
  status.url = bench.server.base_url() + "/api/v2/statements/" + bench.fake.cancelled()[0];
  status.headers = {{"Authorization", std::string("Bearer ") + kToken}, {"X-Snowflake-Authorization-Token-Type", "OAUTH"}};
  try {
    client.send(status);
    FAIL("the status of a cancelled statement was not a 422");
  } catch (const sluice::support::HttpError& e) {
    CHECK(e.status() == 422);
    CHECK(json::parse(e.body()).at("code") == "000604");
  }
  CHECK(bench.host.log_lines().back() == "statement " + bench.fake.cancelled()[0] + " cancelled");
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

TEST_CASE("a row limit reached in the first partition cancels the statement at the source") {
  QueryBench bench;
  bench.fake.set_partition_rows(2000);
  bench.host.stop_after_rows = 2000;  // the host's first batch is its limit
  CHECK_THROWS_AS(bench.run(sluice::test::query_request("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
                                       "SELECT i FROM n")),
                  sluice::Cancelled);
  CHECK(bench.host.row_count == 2000);
  REQUIRE(bench.fake.cancelled().size() == 1);
  CHECK(bench.ctx.facts.at("statement_handle") == json::value(bench.fake.cancelled()[0]));
}

TEST_CASE("a 1,000,000-row result streams in bounded memory: partitions are fetched at most `concurrency` ahead of the rows handed over") {
  QueryBench bench(2);
  bench.fake.set_partition_rows(100000);
  bench.host.keep_rows = false;
  size_t most_ahead = 0;
  bench.host.on_batch = [&] {
    size_t fetched = 0;
    for (size_t i = 1; i < 10; ++i) fetched += bench.fake.partition_requests(i);
    const size_t delivered = bench.host.row_count / 100000;  // partitions wholly handed over
    most_ahead = std::max(most_ahead, fetched + 1 - std::min(fetched + 1, delivered));
  };
  bench.run(sluice::test::query_request("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                       "SELECT i FROM n"));
  CHECK(bench.host.row_count == 1000000);
  CHECK(bench.ctx.facts.at("rows") == 1000000);
  // Partition 0 came with the answer; at most 2 more are fetched (decoded or
  // in flight) beyond the one being handed over.
  CHECK(most_ahead <= 3);
}
