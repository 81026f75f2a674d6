// Query in place (query_in_place.hpp) run in the test process against the
// fake, where time, cancellation and the host's appetite can be driven: a
// dry run first, then a job with the guards pushed into BigQuery, its
// result typed as discover and read type it, streamed in bounded memory,
// and the job cancelled at the source whenever Sluice stops waiting.
#include "common/sanitizer.hpp"
#include "query_capture.hpp"

#include "cell_decoder.hpp"
#include "field_schema.hpp"
#include "fixture_tables.hpp"
#include "openapi_check.hpp"
#include "query_in_place.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <set>
#include <string>

using namespace bigquery_test;

namespace {

// One session's API and context over the fixture, as the plugin has them.
struct Session {
  explicit Session(BigQueryFixture& f) : settings(direct_settings(f)), log(&capture.host), api(settings, log) {}

  // Runs `request` on an injected clock; the facts it left.
  json::object run(const sluice::QueryRequest& request) {
    sluice::QueryContext ctx(&capture.host);
    bigquery::run_query(api, {settings.project_id, settings.query, settings.max_bytes_billed}, request, ctx,
                        clock.clock());
    return ctx.facts;
  }

  QueryCapture capture;
  bigquery::Settings settings;
  sluice::Logger log;
  bigquery::BigQueryApi api;
  FakeClock clock;
};

sluice::QueryRequest request(std::string sql, std::vector<sluice::QueryParameter> parameters = {}) {
  sluice::QueryRequest out;
  out.sql = std::move(sql);
  out.parameters = std::move(parameters);
  return out;
}

// A query of a 3 TiB table, capped at 1,000,000,000 bytes billed.
sluice::QueryRequest over_cap_query(BigQueryFixture& f) {
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_table_bytes("sales", "orders", int64_t(3) << 40);
  auto big = request("SELECT * FROM sales.orders");
  big.max_bytes_billed = 1000000000;
  return big;
}

json::array columns_of(const QueryCapture& capture) { return json::parse(capture.columns).as_array(); }

// The bodies of every jobs.insert the fake answered, in order.
std::vector<json::object> inserts(const BigQueryFixture& f) {
  std::vector<json::object> out;
  for (const auto& [request, response] : f.exchanges()) {
    if (request.method == "POST" && request.path == kApiRoot + "/jobs") out.push_back(json::parse(request.body).as_object());
  }
  return out;
}

std::string error_of(const std::function<void()>& run, sluice::ErrorKind* kind = nullptr) {
  try {
    run();
  } catch (const sluice::Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "";
}

// Peak resident memory (VmHWM), after clear_refs 5 resets it to the current.
size_t peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
  }
  return 0;
}

}  // namespace

TEST_CASE("a query's columns carry discover's JSON Schema and BigQuery type, and its rows the values a read gives, "
          "for every type the connector maps") {
  BigQueryFixture f;
  const FakeTable table = all_types_table();
  f.fake->add_table("sales", "all_types", table);
  Session s(f);
  s.run(request("SELECT * FROM `my-proj.sales.all_types`"));

  const auto fields = bigquery::parse_table_schema(json::object{{"fields", table.fields}});
  const auto discovered = bigquery::record_json_schema(fields).at("properties").as_object();
  const json::array columns = columns_of(s.capture);
  REQUIRE(columns.size() == fields.size());
  std::vector<std::string> types;
  for (size_t i = 0; i < fields.size(); ++i) {
    CHECK(columns[i].at("name").as_string() == fields[i].name);
    CHECK(columns[i].at("schema") == discovered.at(fields[i].name));
    types.emplace_back(columns[i].at("source_type").as_string());
  }
  CHECK(types == std::vector<std::string>{"INT64", "STRING", "BYTES", "NUMERIC", "BIGNUMERIC", "FLOAT64", "BOOL",
                                          "TIMESTAMP", "DATE", "TIME", "DATETIME", "JSON", "GEOGRAPHY",
                                          "ARRAY<STRING>", "STRUCT", "ARRAY<STRUCT>"});
  // Each row: the values of the record read's reference decoder gives, in column order.
  REQUIRE(s.capture.rows.size() == table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const json::object record = bigquery::decode_row(table.rows[r], fields);
    json::array expected;
    for (const auto& field : fields) expected.push_back(record.at(field.name));
    CHECK(json::parse(s.capture.rows[r]) == expected);
  }
  // A few spelled out: exact int64, decimals as text, UTC microseconds, JSON as JSON, NaN as a string.
  CHECK_THAT(s.capture.rows[0], Catch::StartsWith("[9223372036854775807,\"Zoë \\\"quoted\\\" ☃\",\"3q2+7w==\","
                                                  "\"12345678901234567890123456789.123456789\","));
  CHECK_THAT(s.capture.rows[0], Catch::Contains(",0.1,true,\"2024-05-01T07:53:20.123456Z\",\"2024-05-01\","
                                                "\"12:34:56.123456\",\"2024-05-01T12:34:56.789\","
                                                "{\"plan\":\"pro\",\"limits\":[1,2]},\"POINT(1 2)\",[\"a\",\"b\"],"
                                                "{\"name\":\"Ann\",\"since\":\"2020-01-01\","));
  CHECK(s.capture.rows[2] ==
        "[42,null,null,null,null,\"NaN\",null,null,null,null,null,null,null,[],null,[]]");
}

TEST_CASE("typed parameters travel as NAMED queryParameters beside SQL that keeps its @names, and the fake "
          "evaluates them") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 9));
  Session s(f);
  s.run(request("SELECT @s AS s, @i AS i, @f AS f, @b AS b, @d AS d, @t AS t",
                {{"s", "string", "it's; DROP TABLE x"},
                 {"i", "integer", int64_t(-9007199254740993)},
                 {"f", "number", 2.5},
                 {"b", "boolean", true},
                 {"d", "date", "2024-05-01"},
                 {"t", "timestamp", "2024-05-01T14:34:56.123456+02:00"}}));
  REQUIRE(s.capture.rows.size() == 1);
  CHECK(s.capture.rows[0] ==
        R"(["it's; DROP TABLE x",-9007199254740993,2.5,true,"2024-05-01","2024-05-01T12:34:56.123456Z"])");
  std::vector<std::string> types;
  for (const auto& column : columns_of(s.capture)) types.emplace_back(column.at("source_type").as_string());
  CHECK(types == std::vector<std::string>{"STRING", "INT64", "FLOAT64", "BOOL", "DATE", "TIMESTAMP"});

  // On the wire: the SQL as given, the values only in queryParameters, typed.
  const auto bodies = inserts(f);
  REQUIRE(bodies.size() == 2);  // the dry run, then the job
  for (const auto& body : bodies) {
    const auto& query = body.at("configuration").at("query").as_object();
    CHECK(query.at("query") == "SELECT @s AS s, @i AS i, @f AS f, @b AS b, @d AS d, @t AS t");
    CHECK(query.at("useLegacySql") == false);
    CHECK(query.at("parameterMode") == "NAMED");
    CHECK(query.at("queryParameters") == json::parse(R"([
      {"name":"s","parameterType":{"type":"STRING"},"parameterValue":{"value":"it's; DROP TABLE x"}},
      {"name":"i","parameterType":{"type":"INT64"},"parameterValue":{"value":"-9007199254740993"}},
      {"name":"f","parameterType":{"type":"FLOAT64"},"parameterValue":{"value":"2.5"}},
      {"name":"b","parameterType":{"type":"BOOL"},"parameterValue":{"value":"true"}},
      {"name":"d","parameterType":{"type":"DATE"},"parameterValue":{"value":"2024-05-01"}},
      {"name":"t","parameterType":{"type":"TIMESTAMP"},"parameterValue":{"value":"2024-05-01T12:34:56.123456Z"}}])"));
  }

  // In a WHERE: the fake filters by the bound values.
  Session filtered(f);
  filtered.run(request("SELECT id, status FROM `my-proj.sales.orders` WHERE id >= @from AND status = @status ORDER BY id",
                       {{"from", "integer", int64_t(7)}, {"status", "string", "new"}}));
  CHECK(filtered.capture.rows == std::vector<std::string>{R"([7,"new"])", R"([8,"new"])", R"([9,"new"])"});
}

TEST_CASE("a parameter the request lacks is refused by the dry run as BigQuery refuses it, and no job runs") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  Session s(f);
  sluice::ErrorKind kind{};
  const std::string error = error_of(
      [&] { s.run(request("SELECT id FROM sales.orders WHERE status = @status", {})); }, &kind);
  CHECK(kind == sluice::ErrorKind::config);
  CHECK(error == "dry run: jobs.insert on project my-proj failed (HTTP 400, invalidQuery): Query parameter 'status' "
                 "not found at [1:44]");
  REQUIRE(inserts(f).size() == 1);
  CHECK(inserts(f)[0].at("configuration").at("dryRun") == true);
  CHECK(s.capture.columns.empty());
}

TEST_CASE("a statement that is not a SELECT is refused by the dry run even when it reaches the connector, and "
          "never runs") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  Session s(f);
  sluice::ErrorKind kind{};
  CHECK(error_of([&] { s.run(request("DELETE FROM `my-proj.sales.orders` WHERE id = @id", {{"id", "integer", int64_t(1)}})); },
                 &kind) ==
        "BigQuery's dry run says the statement is a DELETE statement; sluice query runs only SELECT statements");
  CHECK(kind == sluice::ErrorKind::config);
  CHECK_THAT(error_of([&] { s.run(request("SELECT 1 FROM sales.orders; DROP TABLE sales.orders")); }),
             Catch::StartsWith("BigQuery's dry run says the statement is a SCRIPT statement"));
  CHECK_THAT(error_of([&] { s.run(request("/* hidden */ CREATE TABLE sales.copy AS SELECT * FROM sales.orders")); }),
             Catch::StartsWith("BigQuery's dry run says the statement is a CREATE_TABLE_AS_SELECT statement"));
  const auto bodies = inserts(f);
  CHECK(bodies.size() == 3);
  for (const auto& body : bodies) CHECK(body.at("configuration").at("dryRun") == true);  // nothing ran
  CHECK(f.fake->result_calls() == 0);
}

TEST_CASE("the job carries maximumBytesBilled and jobTimeoutMs, and the facts say what the dry run estimated and "
          "what the job cost") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  Session s(f);
  auto plain = request("SELECT id, amount FROM `my-proj`.`sales`.`orders`");
  plain.timeout_seconds = 30;
  const json::object facts = s.run(plain);
  // Two columns of five rows: INT64 8 bytes, NUMERIC 16 bytes each; billed at least 10 MB.
  CHECK(facts.at("estimated_bytes") == 120);
  CHECK(facts.at("bytes_processed") == 120);
  CHECK(facts.at("bytes_billed") == 10485760);
  CHECK(facts.at("cache_hit") == false);
  CHECK(facts.at("location") == "US");
  const std::string job_id(facts.at("job_id").as_string());
  CHECK_THAT(job_id, Catch::StartsWith("sluice_query_"));
  const auto bodies = inserts(f);
  REQUIRE(bodies.size() == 2);
  CHECK(bodies[1].at("jobReference").at("jobId").as_string() == job_id);
  CHECK(bodies[1].at("configuration").at("jobTimeoutMs") == "30000");
  CHECK(bodies[1].at("configuration").at("query").at("maximumBytesBilled") == "10737418240");  // the connection's
  CHECK_THAT(s.capture.log(), Catch::Contains("dry run: a SELECT statement that will process about 120 bytes; "
                                              "maximumBytesBilled 10.0 GiB (10737418240 bytes)") &&
                                  Catch::Contains("query job " + job_id + ": 5 rows, 120 bytes processed, 10.0 MiB "
                                                  "(10485760 bytes) billed"));

  // The request's cap wins; a cached result bills nothing.
  f.fake->answer_next_from_cache();
  auto capped = plain;
  capped.max_bytes_billed = 20000000;
  const json::object cached = Session(f).run(capped);
  CHECK(inserts(f).back().at("configuration").at("query").at("maximumBytesBilled") == "20000000");
  CHECK(cached.at("cache_hit") == true);
  CHECK(cached.at("bytes_billed") == 0);
}

TEST_CASE("a query over its maximumBytesBilled fails with one line naming the cap, and reads nothing") {
  BigQueryFixture f;
  Session s(f);
  sluice::ErrorKind kind{};
  const std::string error = error_of([&] { s.run(over_cap_query(f)); }, &kind);
  CHECK(kind == sluice::ErrorKind::config);
  CHECK_THAT(error, Catch::Matches("BigQuery refused to run the query past its maximumBytesBilled \\(jobs.insert on job "
                                   "sluice_query_[-0-9a-f]+; raise --max-bytes-billed or the connection's "
                                   "max_bytes_billed\\): Query exceeded limit for bytes billed: 1000000000. "
                                   "3298534883328 or higher required."));
  CHECK(error.find('\n') == std::string::npos);
  CHECK_THAT(s.capture.log(), Catch::Contains("will process about 3.0 TiB (3298534883328 bytes); maximumBytesBilled "
                                              "953.7 MiB (1000000000 bytes)"));
  CHECK(f.fake->result_calls() == 0);
  CHECK(f.fake->cancelled_jobs().empty());  // it failed as it started: nothing to stop
}

TEST_CASE("a job that fails over its maximumBytesBilled only when its results are read is never retried, whether "
          "BigQuery answers 400 or 500") {
  const int status = GENERATE(400, 500);
  INFO("HTTP " << status);
  BigQueryFixture f;
  f.fake->set_over_cap_failure(status, 1);  // RUNNING at insert, one poll, then the error
  Session s(f);
  sluice::ErrorKind kind{};
  const std::string error = error_of([&] { s.run(over_cap_query(f)); }, &kind);
  CHECK(kind == sluice::ErrorKind::config);
  CHECK_THAT(error, Catch::StartsWith("BigQuery refused to run the query past its maximumBytesBilled (") &&
                        Catch::EndsWith("Query exceeded limit for bytes billed: 1000000000. 3298534883328 or higher "
                                        "required."));
  CHECK(f.fake->result_calls() == 2);  // the poll and the failure, no retry
  CHECK(s.capture.log().find("retrying") == std::string::npos);
}

TEST_CASE("a job still running at the query's timeout is cancelled with jobs.cancel, on an injected clock") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_not_ready_polls(-1);
  Session s(f);
  auto slow = request("SELECT * FROM sales.orders");
  slow.timeout_seconds = 2;
  const auto wall = std::chrono::steady_clock::now();
  sluice::ErrorKind kind{};
  const std::string error = error_of([&] { s.run(slow); }, &kind);
  CHECK(std::chrono::steady_clock::now() - wall < std::chrono::seconds(2));  // no real wait
  CHECK(kind == sluice::ErrorKind::transient);
  CHECK_THAT(error, Catch::Matches("query job sluice_query_[-0-9a-f]+ did not complete within 2 s \\(the query's "
                                   "timeout\\); cancelling it"));
  CHECK(s.clock.slept >= std::chrono::milliseconds(1900));
  CHECK(s.clock.slept <= std::chrono::milliseconds(2000));
  const auto job_id = inserts(f).back().at("jobReference").at("jobId");
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{std::string(job_id.as_string())});
  CHECK(f.requests_to("POST", kApiRoot + "/jobs/" + std::string(job_id.as_string()) + "/cancel") == 1);
  CHECK(inserts(f).back().at("configuration").at("jobTimeoutMs") == "2000");
}

TEST_CASE("a job BigQuery stops at its jobTimeoutMs fails with BigQuery's own line") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_job_duration(std::chrono::seconds(5));
  f.fake->set_not_ready_polls(1);
  Session s(f);
  auto slow = request("SELECT * FROM sales.orders");
  slow.timeout_seconds = 2;
  sluice::ErrorKind kind{};
  const std::string error = error_of([&] { s.run(slow); }, &kind);
  CHECK(kind == sluice::ErrorKind::transient);
  CHECK_THAT(error, Catch::Matches("BigQuery stopped the query at its jobTimeoutMs \\(jobs.getQueryResults on job "
                                   "sluice_query_[-0-9a-f]+\\): Job execution was cancelled: Job timed out after 2 sec"));
  CHECK(f.fake->result_calls() == 2);  // not ready, then stopped: a stop is not retried
}

TEST_CASE("a host that cancels while the job runs gets jobs.cancel at the source, then Cancelled") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_not_ready_polls(-1);
  Session s(f);
  s.capture.cancelled = [&] { return f.fake->result_calls() >= 3; };
  CHECK_THROWS_AS(s.run(request("SELECT * FROM sales.orders")), sluice::Cancelled);
  REQUIRE(f.fake->cancelled_jobs().size() == 1);
  CHECK(f.fake->cancelled_jobs()[0] == std::string(inserts(f).back().at("jobReference").at("jobId").as_string()));
  CHECK(f.fake->result_calls() == 3);
  CHECK_THAT(s.capture.log(), Catch::Contains("cancelled (jobs.cancel)"));
}

TEST_CASE("a host that cancels while the job's POST awaits its answer gets the job it created cancelled by its id") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->hang_job_inserts();  // the job is created, its answer never comes
  Session s(f);
  s.capture.cancelled = [&] { return f.fake->inserted_jobs().size() >= 2; };  // the dry run, then the job
  CHECK_THROWS_AS(s.run(request("SELECT * FROM sales.orders")), sluice::Cancelled);
  const std::string job_id(f.fake->inserted_jobs().back().at("jobReference").at("jobId").as_string());
  CHECK(f.fake->cancelled_jobs() == std::vector<std::string>{job_id});
  CHECK(f.fake->result_calls() == 0);
}

TEST_CASE("a host that stops taking rows after the first batch gets jobs.cancel, and no rows after it") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 10000));
  Session s(f);
  s.settings.query.page_size = 1000;
  s.settings.query.concurrency = 1;
  s.capture.refuse_batch = 2;  // the host has what it wants after 2000 rows
  CHECK_THROWS_AS(s.run(request("SELECT id FROM sales.orders ORDER BY id")), sluice::Cancelled);
  CHECK(s.capture.row_count == 2000);
  CHECK(s.capture.rows.back() == "[2000]");
  REQUIRE(f.fake->cancelled_jobs().size() == 1);
  CHECK(f.fake->answered_pages().size() < 9);  // the rest was never read
}

TEST_CASE("a 1,000,000-row result streams to the host in bounded memory") {
  BigQueryFixture f;
  json::array fields{field("id", "INTEGER", "REQUIRED"), field("label", "STRING"), field("score", "FLOAT")};
  f.fake->add_generated_table("bench", "big", fields, 1'000'000, [](size_t i) {
    const std::string id = std::to_string(i + 1);
    return R"({"f":[{"v":")" + id + R"("},{"v":"row-)" + id + R"("},{"v":")" + id + R"(.5"}]})";
  }, 30);
  Session s(f);
  s.settings.query.concurrency = 2;  // pages near 2 MB, two in flight
  s.capture.keep_rows = false;
  f.keep_exchanges = false;
  std::ofstream("/proc/self/clear_refs") << "5";  // VmHWM from here
  const size_t before = peak_rss_kb();
  const json::object facts = s.run(request("SELECT * FROM `my-proj.bench.big`"));
  const size_t peak = peak_rss_kb();
  CHECK(s.capture.row_count == 1'000'000);
  CHECK(facts.at("bytes_processed") == 30'000'000);
  // ~60 MB of rows on the wire, ~30 MB of row text for the host: memory
  // holds neither (this process also runs the fake, building its pages), and
  // the host gets batches of at most 1 MiB.
  CHECK(s.capture.largest_batch <= (1 << 20) + 64);
  INFO("peak RSS grew by " << (peak - before) / 1024 << " MB");
  if (!sluice::test::kUnderSanitizer) CHECK(peak - before < 24 * 1024);
}

TEST_CASE("the connector's query requests and the fake's answers keep to the official BigQuery spec") {
  static const sluice::testkit::OpenApiSpec spec(
      "bigquery-v2.apisguru.json.gz", "84a35e70565d01face776e9dddecb1fc1ffda5bdf60e15fe41b96728c71b2b44",
      {.closed_objects = true});
  BigQueryFixture f;
  f.fake->add_table("sales", "all_types", all_types_table());
  f.fake->add_table("sales", "orders", orders_table(1, 30));
  f.fake->set_page_rows(10);       // the result spans pages
  f.fake->set_not_ready_polls(1);  // and each job is polled
  {
    Session s(f);
    s.run(request("SELECT * FROM `my-proj.sales.all_types`"));
    s.run(request("SELECT id FROM sales.orders WHERE id > @n", {{"n", "integer", int64_t(3)}}));
    CHECK_THROWS(s.run(request("UPDATE sales.orders SET status = 'x' WHERE TRUE")));
    auto capped = request("SELECT * FROM sales.orders");
    capped.max_bytes_billed = 1;
    CHECK_THROWS(s.run(capped));
    f.fake->set_not_ready_polls(-1);
    auto slow = request("SELECT * FROM sales.orders");
    slow.timeout_seconds = 1;
    CHECK_THROWS(s.run(slow));
  }
  std::set<std::string> answered, sent;
  for (const auto& [request, response] : f.exchanges()) {
    if (request.path == "/token") continue;
    INFO(request.method << " " << request.raw_path << " -> " << response.status << " " << response.body.substr(0, 600));
    const auto verdict = spec.check(request.method, request.raw_path, response.status, response.body);
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) answered.insert(verdict.operation);
    if (request.method != "POST") continue;
    INFO("request body " << request.body.substr(0, 600));
    const auto asked = spec.check_request(request.method, request.raw_path, request.body);
    for (const auto& error : asked.errors) FAIL_CHECK(error);
    if (asked.checked) sent.insert(asked.operation);
  }
  CHECK(answered == std::set<std::string>{"POST /projects/{projectId}/jobs", "GET /projects/{projectId}/jobs/{jobId}",
                                          "GET /projects/{projectId}/queries/{jobId}",
                                          "POST /projects/{projectId}/jobs/{jobId}/cancel"});
  CHECK(sent == std::set<std::string>{"POST /projects/{projectId}/jobs"});
}
