// The fake workspace's answers against the hand-written spec of the
// endpoints the connector uses (reference/api-specs/handwritten/
// databricks-sql-uc.yaml, rendered as JSON in databricks-sql-uc.json.gz:
// `json.dumps(yaml.safe_load(text), ensure_ascii=False, indent=1)` plus a
// newline; the YAML's SHA-256 is fd34bb758a692656cb1d00694c61e720f4d08258ab5bb6a26a3f4a67d3e91e61).
// Every answer while the CLI checks, discovers and syncs (PENDING then
// RUNNING, SUCCEEDED with external links, chunk links, Unity Catalog pages,
// a FAILED statement, a 401, a cancel) must have a documented status and a
// body of the documented shape.
#include "databricks_fixture.hpp"
#include "fixture_tables.hpp"
#include "openapi_check.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace databricks_test;

namespace {

const sluice::testkit::OpenApiSpec& databricks_spec() {
  // Relative to tests/connectors/openapi/specs, where the official documents live.
  static const sluice::testkit::OpenApiSpec spec("../../databricks/databricks-sql-uc.json.gz",
                                                 "e08e65f485cd37baa4fc1acf5ebfcc2c3518cee4a3bae319bd447305fe267681");
  return spec;
}

std::set<std::string> check_answers(const DatabricksFixture& f) {
  std::set<std::string> checked;
  for (const auto& [request, response] : f.exchanges()) {
    if (request.path == "/oidc/v1/token") continue;  // OAuth, not in the spec
    const auto verdict = databricks_spec().check(request.method, request.raw_path, response.status, response.body);
    INFO(request.method << " " << request.raw_path << " -> " << response.status << " " << response.body.substr(0, 600));
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) checked.insert(verdict.operation + " " + std::to_string(response.status));
  }
  return checked;
}

}  // namespace

TEST_CASE("the Databricks fake answers check, discover, sync, polls, chunks, errors and cancels in the shapes of the spec") {
  DatabricksFixture f;
  add_all_types_table(f.fake->warehouse());
  add_orders_table(f.fake->warehouse(), 1, 25);
  f.fake->warehouse().deny("sales", "all_types");
  f.fake->set_chunk_rows(10);
  f.fake->set_pending_polls(2, "SELECT * FROM `sales`.`orders`");
  f.fake->set_uc_paging(1, true);
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id"),
                      stream_selection("sales", "all_types", "full_refresh_overwrite")});
  REQUIRE(f.check().exit_code == 0);
  REQUIRE(f.sluice({"discover", f.connection_path()}).exit_code == 0);
  CHECK(f.sync().exit_code != 0);  // all_types is denied: a FAILED statement
  // A cancel, as the connector sends it.
  FakeRequest cancel;
  cancel.method = "POST";
  cancel.headers = {{"Authorization", std::string("Bearer ") + kToken}};
  cancel.path = cancel.raw_path = "/api/2.0/sql/statements/01ef-1000-fake-statement/cancel";
  const auto answer = f.fake->handle(cancel);
  const auto verdict = databricks_spec().check("POST", cancel.raw_path, answer.status, answer.body);
  for (const auto& error : verdict.errors) FAIL_CHECK(error);
  CHECK(verdict.checked);
  f.write_connection({}, {{"credentials", {{"auth_type", "personal_access_token"}, {"token", "dapi-wrong"}}}});
  CHECK(f.check().exit_code != 0);  // a 401
  const auto checked = check_answers(f);
  CHECK(checked == std::set<std::string>{"POST /api/2.0/sql/statements 200", "POST /api/2.0/sql/statements 401",
                                         "GET /api/2.0/sql/statements/{statement_id} 200",
                                         "GET /api/2.0/sql/statements/{statement_id}/result/chunks/{chunk_index} 200",
                                         "GET /api/2.1/unity-catalog/schemas 200",
                                         "GET /api/2.1/unity-catalog/tables 200"});
}
