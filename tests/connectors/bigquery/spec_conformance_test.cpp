// The fake's answers against the official BigQuery v2 OpenAPI document
// (tests/connectors/openapi/specs): every answer the fake gives while the
// CLI checks, discovers and syncs (pages, polls, a cancelled job) must have
// a documented status and a body of the documented shape, with no member
// the document does not list.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"
#include "openapi_check.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace bigquery_test;

namespace {

const sluice::testkit::OpenApiSpec& bigquery_spec() {
  static const sluice::testkit::OpenApiSpec spec(
      "bigquery-v2.apisguru.json.gz", "84a35e70565d01face776e9dddecb1fc1ffda5bdf60e15fe41b96728c71b2b44",
      {.closed_objects = true});
  return spec;
}

// Checks every answer but the token endpoint's (Google publishes no
// OpenAPI document for it); returns the operations whose bodies were checked.
std::set<std::string> check_answers(const BigQueryFixture& f) {
  std::set<std::string> checked;
  for (const auto& [request, response] : f.exchanges()) {
    if (request.path == "/token") continue;
    const auto verdict = bigquery_spec().check(request.method, request.raw_path, response.status, response.body);
    INFO(request.method << " " << request.raw_path << " -> " << response.status << " " << response.body.substr(0, 600));
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) checked.insert(verdict.operation);
  }
  return checked;
}

}  // namespace

TEST_CASE("the BigQuery fake answers check, discover and sync in the shapes of the official spec") {
  BigQueryFixture f;
  f.fake->add_table("sales", "all_types", all_types_table());
  f.fake->add_table("sales", "orders", orders_table(1, 25, 2));
  auto view = orders_table(1, 3);
  view.type = "VIEW";
  f.fake->add_table("sales", "v_orders", view);
  f.fake->add_dataset("empty");
  f.fake->set_list_page_size(1);  // every list spans pages
  f.fake->set_page_rows(10);      // and every result
  f.fake->set_not_ready_polls(2); // and each job is polled
  f.write_connection({stream_selection("sales", "all_types", "full_refresh_overwrite"),
                      stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id"),
                      stream_selection("sales", "v_orders", "full_refresh_append")});
  REQUIRE(f.check().exit_code == 0);
  REQUIRE(f.discover_streams().size() == 3);
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  REQUIRE(f.sync().exit_code == 0);  // the incremental stream with parameters

  // A job that never completes, cancelled at its deadline.
  f.fake->set_not_ready_polls(-1);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")}, {{"job_timeout_seconds", 1}});
  REQUIRE(f.sync().exit_code == 1);
  REQUIRE(f.fake->cancelled_jobs().size() == 1);

  const auto checked = check_answers(f);
  CHECK(checked == std::set<std::string>{"GET /projects/{projectId}/datasets",
                                          "GET /projects/{projectId}/datasets/{datasetId}/tables",
                                          "GET /projects/{projectId}/datasets/{datasetId}/tables/{tableId}",
                                          "POST /projects/{projectId}/queries",
                                          "GET /projects/{projectId}/queries/{jobId}",
                                          "POST /projects/{projectId}/jobs/{jobId}/cancel"});
}

TEST_CASE("the BigQuery fake's error answers keep to documented paths and methods") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 3));
  f.fake->add_phantom_table("sales", "ghost");  // listed, then 404 on tables.get
  f.fake->deny_permission("bigquery.jobs.create");
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")}, {{"datasets", json::array{"sales"}}});
  CHECK(f.sluice({"discover", f.connection_path()}).exit_code == 1);
  CHECK(f.sync().exit_code == 1);
  size_t errors = 0;
  for (const auto& exchange : f.exchanges()) errors += exchange.response.status >= 400;
  CHECK(errors >= 2);
  check_answers(f);
}
