// The fake's answers against Snowflake's official SQL API OpenAPI document
// (tests/connectors/openapi/specs): every answer the fake gives while the
// CLI checks, discovers and syncs (a 202 polled, partitions, a 422, a 401, a
// cancel) must have a documented status and a body of the documented shape.
#include "fixture_tables.hpp"
#include "openapi_check.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace snowflake_test;

namespace {

const sluice::testkit::OpenApiSpec& snowflake_spec() {
  static const sluice::testkit::OpenApiSpec spec("snowflake-sqlapi.json.gz",
                                                 "9dd6b73fc35535f677325137f22cb42d63f2e0dd3a96b5410988cce442136693");
  return spec;
}

std::set<std::string> check_answers(const SnowflakeFixture& f) {
  std::set<std::string> checked;
  for (const auto& [request, response] : f.exchanges()) {
    const auto verdict = snowflake_spec().check(request.method, request.raw_path, response.status, response.body);
    INFO(request.method << " " << request.raw_path << " -> " << response.status << " " << response.body.substr(0, 600));
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) checked.insert(verdict.operation + " " + std::to_string(response.status));
  }
  return checked;
}

}  // namespace

TEST_CASE("the Snowflake fake answers check, discover, sync, polls, partitions, errors and cancels in the shapes of the official spec") {
  SnowflakeFixture f;
  add_all_types_table(f.fake->database());
  add_orders_table(f.fake->database(), 1, 25);
  f.fake->database().deny("PUBLIC", "ALL_TYPES");
  f.fake->set_partition_rows(10);
  f.fake->set_pending_polls(2);
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID"),
                      stream_selection("PUBLIC", "ALL_TYPES", "full_refresh_overwrite")});
  REQUIRE(f.check().exit_code == 0);
  CHECK(f.sync().exit_code != 0);  // ALL_TYPES is denied: a 422
  f.fake->register_public_key(sluice::testkit::generate_rsa_key().public_pem);
  CHECK(f.check().exit_code != 0);  // a 401
  const auto checked = check_answers(f);
  CHECK(checked == std::set<std::string>{"POST /api/v2/statements 202", "POST /api/v2/statements 422",
                                         "GET /api/v2/statements/{statementHandle} 200",
                                         "GET /api/v2/statements/{statementHandle} 202"});
}

TEST_CASE("the fake's cancel answer is the spec's CancelStatus") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 2);
  f.write_connection();
  REQUIRE(f.check().exit_code == 0);
  // Cancel the check's statement by hand, as the connector would.
  const auto exchanges = f.exchanges();
  REQUIRE_FALSE(exchanges.empty());
  const std::string statement_handle(json::parse(exchanges.back().response.body).at("statementHandle").as_string());
  auto answer = f.fake->handle([&] {
    FakeRequest request = exchanges.back().request;
    request.method = "POST";
    request.path = request.raw_path = "/api/v2/statements/" + statement_handle + "/cancel";
    request.query_string.clear();
    request.query_params.clear();
    return request;
  }());
  const auto verdict = snowflake_spec().check("POST", "/api/v2/statements/" + statement_handle + "/cancel", answer.status, answer.body);
  for (const auto& error : verdict.errors) FAIL_CHECK(error);
  CHECK(verdict.checked);
  CHECK(answer.status == 200);
}
