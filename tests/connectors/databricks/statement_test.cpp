// The statement body and the incremental read's SQL and parameters: every
// value a typed named parameter, the cursor bound with every digit.
#include "cursor.hpp"
#include "statement.hpp"
#include "table_reader.hpp"

#include <catch2/catch.hpp>

using namespace databricks;

TEST_CASE("the statement body: warehouse, catalog, typed named parameters, wait_timeout with CONTINUE, JSON_ARRAY") {
  Settings settings;
  settings.warehouse_id = "abc";
  settings.catalog = "main";
  settings.wait_timeout = std::chrono::seconds(20);
  Statement statement;
  statement.sql = "SELECT * FROM `s`.`t` WHERE `c` >= :cursor";
  statement.schema = "s";
  statement.parameters = {{"cursor", "TIMESTAMP", "2024-05-01T00:00:00.000001Z"}, {"n", "STRING", std::nullopt}};
  statement.disposition = Disposition::external_links;
  CHECK(statement_body(statement, settings) == json::parse(R"({"statement": "SELECT * FROM `s`.`t` WHERE `c` >= :cursor",
      "warehouse_id": "abc", "catalog": "main", "schema": "s",
      "parameters": [{"name": "cursor", "type": "TIMESTAMP", "value": "2024-05-01T00:00:00.000001Z"},
                     {"name": "n", "type": "STRING"}],
      "wait_timeout": "20s", "on_wait_timeout": "CONTINUE", "disposition": "EXTERNAL_LINKS", "format": "JSON_ARRAY"})"));
}

TEST_CASE("an incremental read with a key binds the checkpoint's cursor and key as typed parameters, never in the SQL") {
  sluice::ConfiguredStream stream;
  stream.ns = "main.sales";
  stream.name = "orders";
  stream.sync_mode = sluice::SyncMode::incremental_append_dedup;
  stream.cursor_field = {"updated_at"};
  stream.primary_key = {{"id"}};
  stream.state = json::parse(R"({"cursor_field": "updated_at", "cursor": "2024-05-01T00:00:00.000030Z",
      "primary_key": ["id"], "key": ["30"], "types": ["TIMESTAMP", "BIGINT"]})");
  const IncrementalRead read = plan_incremental_read(stream);
  CHECK(select_sql("sales", "orders", read.condition, read.keyset.order_by) ==
        "SELECT * FROM `sales`.`orders` WHERE `updated_at` >= :cursor AND (`updated_at` > :cursor OR `id` > :key_1) "
        "ORDER BY `updated_at`, `id`");
  REQUIRE(read.parameters.size() == 2);
  CHECK(read.parameters[0].name == "cursor");
  CHECK(read.parameters[0].type == "TIMESTAMP");
  CHECK(read.parameters[0].value == "2024-05-01T00:00:00.000030Z");
  CHECK(read.parameters[1].name == "key_1");
  CHECK(read.parameters[1].type == "BIGINT");
  CHECK(read.parameters[1].value == "30");
}

TEST_CASE("a DECIMAL column binds its cursor as DECIMAL(p,s), from type_precision or from type_text alone") {
  const auto columns = parse_columns(json::parse(R"JSON([
      {"name": "a", "type_name": "DECIMAL", "type_text": "decimal(12,2)", "type_precision": 12, "type_scale": 2},
      {"name": "b", "type_name": "DECIMAL", "type_text": "decimal(38,10)"},
      {"name": "c", "type_name": "TIMESTAMP", "type_text": "timestamp_ntz"},
      {"name": "d", "type_name": "LONG", "type_text": "bigint"}])JSON"));
  CHECK(parameter_type(columns[0]) == "DECIMAL(12,2)");
  CHECK(parameter_type(columns[1]) == "DECIMAL(38,10)");
  CHECK(parameter_type(columns[2]) == "TIMESTAMP_NTZ");
  CHECK(parameter_type(columns[3]) == "BIGINT");
}
