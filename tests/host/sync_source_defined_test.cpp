// A catalog stream may say its cursor or primary key is defined by the source
// ("source_defined_cursor" / "source_defined_primary_key"): planning then
// refuses a connection that picks another one, naming the source's choice.
#include "host/config/config_error.hpp"
#include "host/config/connection.hpp"
#include "host/sync/stream_plan.hpp"
#include "host/target/target.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

namespace {

// A users stream the source reads by updated_at and identifies by id.
json::object catalog(bool source_defined) {
  json::object users = json::parse(R"({
    "name": "users", "namespace": null,
    "json_schema": {"type": "object", "properties": {
      "id": {"type": "integer"}, "email": {"type": "string"},
      "updated_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string"}}},
    "supported_sync_modes": ["full_refresh_overwrite", "full_refresh_append", "incremental_append",
                             "incremental_append_dedup"],
    "default_cursor_field": ["updated_at"], "primary_key": [["id"]]})").as_object();
  users["source_defined_cursor"] = source_defined;
  users["source_defined_primary_key"] = source_defined;
  return json::object{{"streams", json::array{users}}};
}

Connection selecting(const std::string& stream) {
  return parse_connection(R"({"source": {"plugin": "scripted", "config": {}}, "streams": [)" + stream + "]}",
                          "conn.json");
}

// The plans, or the lines of the ConfigError plan_streams throws.
struct Planned {
  std::vector<StreamPlan> plans;
  std::vector<std::string> errors;
};

Planned plan(const json::object& catalog, const Connection& connection) {
  auto target = open_target("sqlite://:memory:");
  try {
    return {plan_streams(catalog, connection, {}, *target), {}};
  } catch (const ConfigError& e) {
    return {{}, e.lines()};
  }
}

using Lines = std::vector<std::string>;

const std::string kCursorLine =
    "stream users: the cursor is defined by the source (updated_at); remove cursor_field from the connection";
const std::string kKeyLine =
    "stream users: the primary key is defined by the source (id); remove primary_key from the connection";

}  // namespace

TEST_CASE("a cursor_field other than the source-defined cursor is refused, naming the source's cursor") {
  auto result = plan(catalog(true), selecting(R"({"name": "users", "mode": "incremental_append",
                                                   "cursor_field": ["created_at"]})"));
  CHECK(result.errors == Lines{kCursorLine});
}

TEST_CASE("a primary_key other than the source-defined key is refused, naming the source's key") {
  auto result = plan(catalog(true), selecting(R"({"name": "users", "mode": "incremental_append_dedup",
                                                   "primary_key": [["email"]]})"));
  CHECK(result.errors == Lines{kKeyLine});
}

TEST_CASE("both source-defined fields overridden give one line each") {
  auto result = plan(catalog(true), selecting(R"({"name": "users", "cursor_field": "created_at",
                                                   "primary_key": "email"})"));
  CHECK(result.errors == Lines{kCursorLine, kKeyLine});
}

TEST_CASE("repeating the source-defined cursor and key in the connection is accepted") {
  auto result = plan(catalog(true), selecting(R"({"name": "users", "mode": "incremental_append_dedup",
                                                   "cursor_field": ["updated_at"], "primary_key": "id"})"));
  REQUIRE(result.errors.empty());
  REQUIRE(result.plans.size() == 1);
  CHECK(result.plans[0].cursor_column == "updated_at");
  CHECK(result.plans[0].key_columns == Lines{"id"});
}

TEST_CASE("without the source-defined flags the connection chooses its own cursor and key") {
  auto result = plan(catalog(false), selecting(R"({"name": "users", "mode": "incremental_append_dedup",
                                                    "cursor_field": ["created_at"], "primary_key": [["email"]]})"));
  REQUIRE(result.errors.empty());
  REQUIRE(result.plans.size() == 1);
  CHECK(result.plans[0].cursor_column == "created_at");
  CHECK(result.plans[0].key_columns == Lines{"email"});
}
