// `sluice query` on BigQuery through the real binary and plugin against
// the fake: a billing question answered with bound parameters, every type
// as a sync types it, the bytes cap and the row limit enforced with the job
// cancelled at BigQuery. The guards' finer cases (timeouts, cancellation,
// a million rows) run in the test process: query_in_place_test.cpp.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include "cell_decoder.hpp"
#include "field_schema.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;

namespace {

// The configuration of every jobs.insert the fake answered, in order.
std::vector<json::object> inserted_configurations(const BigQueryFixture& f) {
  std::vector<json::object> out;
  for (const auto& body : f.fake->inserted_jobs()) out.push_back(body.at("configuration").as_object());
  return out;
}

}  // namespace

TEST_CASE("sluice query answers a billing question at BigQuery: bound parameters, typed rows, and the dry run's "
          "estimate and the job's cost in the facts") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 50));
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(),
                       "SELECT status, id, amount FROM sales.orders WHERE id >= :from AND status = :status ORDER BY id",
                       "--param", "from:integer=48", "--param", "status=new", "--format", "json", "--timeout", "90"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const json::value doc = json::parse(run.out);
  CHECK(doc.at("rows") == json::parse(R"([["new",48,"48.50"],["new",49,"49.50"],["new",50,"50.50"]])"));
  const auto& columns = doc.at("columns").as_array();
  REQUIRE(columns.size() == 3);
  CHECK(columns[2] == json::parse(R"({"name":"amount","schema":{"type":["string","null"],"format":"decimal",
                                      "x-bigquery-type":"NUMERIC"},"source_type":"NUMERIC"})"));
  const auto& facts = doc.at("facts").as_object();
  CHECK(facts.at("estimated_bytes") == 50 * (8 + 16 + 5));  // id, amount, status ("new": 2 + 3 bytes)
  CHECK(facts.at("bytes_billed") == 10485760);
  CHECK_THAT(std::string(facts.at("job_id").as_string()), Catch::StartsWith("sluice_query_"));
  CHECK_THAT(run.err, Catch::Contains("info: dry run: a SELECT statement that will process about 1.4 KiB (1450 bytes)") &&
                          Catch::Contains("info: query: 3 rows, "));

  // On the wire: @names in the SQL, the values apart and typed, both times.
  const auto configurations = inserted_configurations(f);
  REQUIRE(configurations.size() == 2);
  CHECK(configurations[0].at("dryRun") == true);
  CHECK(configurations[1].at("jobTimeoutMs") == "90000");
  for (const auto& configuration : configurations) {
    const auto& query = configuration.at("query").as_object();
    CHECK(query.at("query") ==
          "SELECT status, id, amount FROM sales.orders WHERE id >= @from AND status = @status ORDER BY id");
    CHECK(query.at("queryParameters") == json::parse(R"([
      {"name":"from","parameterType":{"type":"INT64"},"parameterValue":{"value":"48"}},
      {"name":"status","parameterType":{"type":"STRING"},"parameterValue":{"value":"new"}}])"));
  }
}

TEST_CASE("sluice query prints every BigQuery type as a sync stores it") {
  BigQueryFixture f;
  const FakeTable table = all_types_table();
  f.fake->add_table("sales", "all_types", table);
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(), "SELECT * FROM `my-proj.sales.all_types`", "--format", "ndjson"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const auto fields = bigquery::parse_table_schema(json::object{{"fields", table.fields}});
  std::vector<json::object> lines;
  for (size_t start = 0; start < run.out.size();) {
    const size_t end = run.out.find('\n', start);
    lines.push_back(json::parse(run.out.substr(start, end - start)).as_object());
    start = end + 1;
  }
  REQUIRE(lines.size() == table.rows.size());
  for (size_t r = 0; r < lines.size(); ++r) CHECK(lines[r] == bigquery::decode_row(table.rows[r], fields));
}

TEST_CASE("sluice query over the bytes cap fails in one line at BigQuery, billing nothing") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(), "SELECT * FROM sales.orders", "--max-bytes-billed", "1000000"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Matches("(.|\\n)*error: bigquery query: BigQuery refused to run the query past its maximumBytesBilled "
                                     "\\(jobs.insert on job sluice_query_[-0-9a-f]+; raise --max-bytes-billed or the "
                                     "connection's max_bytes_billed\\): Query exceeded limit for bytes billed: 1000000. "
                                     "10485760 or higher required. \\[config\\]\n"));
  CHECK(inserted_configurations(f).at(1).at("query").at("maximumBytesBilled") == "1000000");
  CHECK(f.fake->result_calls() == 0);
}

TEST_CASE("sluice query cut by --limit-rows fails closed and cancels the BigQuery job") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5000));
  f.write_connection({}, {{"page_size", 1000}, {"concurrency", 1}});
  auto run = f.sluice({"query", f.connection_path(), "SELECT id FROM sales.orders ORDER BY id", "--limit-rows", "10",
                       "--format", "csv"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::StartsWith("id\r\n1\r\n2\r\n"));
  CHECK_THAT(run.err, Catch::Contains("the result was cut by --limit-rows 10 after 10 rows"));
  REQUIRE(f.fake->cancelled_jobs().size() == 1);
  CHECK(f.fake->cancelled_jobs()[0] == std::string(f.fake->inserted_jobs().back().at("jobReference").at("jobId").as_string()));
}

TEST_CASE("a write is refused before it reaches BigQuery, and the plugin says it queries in the bigquery dialect") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.write_connection();
  auto run = f.sluice({"query", f.connection_path(), "DELETE FROM sales.orders WHERE TRUE"});
  CHECK(run.exit_code == 2);
  CHECK(f.fake->inserted_jobs().empty());
  auto plugins = f.sluice({"plugins", "--json"});
  REQUIRE(plugins.exit_code == 0);
  bool found = false;
  const json::value listed = json::parse(plugins.out);
  for (const auto& plugin : listed.at("plugins").as_array()) {
    if (plugin.at("name") == "bigquery") found = plugin.at("query_dialect") == "bigquery";
  }
  CHECK(found);
}
