// The workspace calls made in-process against the fake workspace (TLS): an
// INLINE result of several chunks is read whole by following each chunk's
// next_chunk_internal_link, as the API documents for sequential reading.
// https://docs.databricks.com/api/workspace/statementexecution/getstatementresultchunkn
#include "databricks_api.hpp"
#include "fake_databricks.hpp"
#include "fixture_tables.hpp"
#include "settings.hpp"

#include <testkit/fake_server.hpp>

#include <catch2/catch.hpp>

using namespace databricks;
using databricks_fake::FakeDatabricks;

namespace {

constexpr const char* kToken = "dapi0123456789abcdef-test";

Settings settings_for(const sluice::testkit::FakeServer& server) {
  return read_settings(sluice::Config(json::object{
      {"server_hostname", "dbc-a1b2c3d4-e5f6.cloud.databricks.com"},
      {"http_path", std::string("/sql/1.0/warehouses/") + databricks_fake::kWarehouseId},
      {"catalog", "main"},
      {"credentials", {{"auth_type", "personal_access_token"}, {"token", kToken}}},
      {"base_url", server.base_url()},
      {"ca_file", server.ca_file()}}));
}

}  // namespace

TEST_CASE("an INLINE result of three chunks is read whole, each next chunk through its next_chunk_internal_link") {
  FakeDatabricks fake("main", kToken);
  sluice::testkit::FakeServer server([&](const sluice::testkit::FakeRequest& r) { return fake.handle(r); });
  databricks_test::add_orders_table(fake.warehouse(), 1, 25);
  fake.set_chunk_rows(10);
  const Settings settings = settings_for(server);
  const sluice::Logger log(nullptr);
  DatabricksApi api(settings, log);

  Statement statement;
  statement.sql = "SELECT id FROM `sales`.`orders` ORDER BY id";
  const json::array rows = api.all_rows(statement, "the test statement");

  REQUIRE(rows.size() == 25);
  for (size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == json::array{json::string(std::to_string(i + 1))});
  REQUIRE(fake.statements().size() == 1);
  CHECK(fake.statements()[0].at("disposition") == "INLINE");
  // The links the fake gave (opaque: their row_offset query is the fake's
  // own), not URLs built from next_chunk_index.
  std::vector<std::string> chunk_requests;
  for (const auto& request : server.requests()) {
    if (request.path.find("/result/chunks/") != std::string::npos) {
      CHECK(request.method == "GET");
      CHECK(request.header("Authorization") == std::string("Bearer ") + kToken);
      chunk_requests.push_back(request.path.substr(request.path.find("/result/")) + "?" + request.query_string);
    }
  }
  CHECK(chunk_requests == std::vector<std::string>{"/result/chunks/1?row_offset=10", "/result/chunks/2?row_offset=20"});
}

TEST_CASE("a next_chunk_internal_link that is not a path on the workspace host is refused before anything is sent to it") {
  FakeDatabricks fake("main", kToken);
  std::string link;
  // The workspace's answer as the fake gives it, its link replaced by `link`.
  sluice::testkit::FakeServer server([&](const sluice::testkit::FakeRequest& r) {
    sluice::testkit::FakeResponse response = fake.handle(r);
    json::value answer = json::parse(response.body);
    if (auto* result = answer.as_object().if_contains("result")) result->as_object()["next_chunk_internal_link"] = link;
    response.body = json::serialize(answer);
    return response;
  });
  databricks_test::add_orders_table(fake.warehouse(), 1, 25);
  fake.set_chunk_rows(10);
  const Settings settings = settings_for(server);
  const sluice::Logger log(nullptr);
  DatabricksApi api(settings, log);
  Statement statement;
  statement.sql = "SELECT id FROM `sales`.`orders` ORDER BY id";
  for (const char* other : {"https://attacker.example/api/2.0/sql/statements/x/result/chunks/1",
                            "//attacker.example/chunks/1", "api/2.0/sql/statements/x/result/chunks/1"}) {
    link = other;
    INFO(link);
    const size_t before = server.request_count();
    CHECK_THROWS_WITH(api.all_rows(statement, "the test statement"),
                      "the test statement (chunk 1): next_chunk_internal_link is not a path on the workspace host");
    CHECK(server.request_count() == before + 1);  // the statement only
  }
}
