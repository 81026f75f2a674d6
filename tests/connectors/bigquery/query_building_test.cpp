// The SQL and jobs.query bodies the connector sends, and its checkpoints:
// identifiers quoted and validated, values only ever as parameters.
#include "cursor.hpp"
#include "query_request.hpp"
#include "sql_identifiers.hpp"

#include <catch2/catch.hpp>

using namespace bigquery;

TEST_CASE("identifiers are backtick-quoted and hostile ones are refused with a clear message") {
  CHECK(quote_identifier("orders", "table") == "`orders`");
  CHECK(quote_identifier("Robert'); DROP TABLE x;--", "table") == "`Robert'); DROP TABLE x;--`");
  CHECK(quote_identifier("prénom à-la \"carte\"", "column") == "`prénom à-la \"carte\"`");
  CHECK_THROWS_WITH(quote_identifier("a`b", "table"), Catch::Contains("cannot quote table name \"a`b\""));
  CHECK_THROWS_WITH(quote_identifier("a\\`b", "column"), Catch::Contains("backslash"));
  CHECK_THROWS_WITH(quote_identifier("a\nb", "column"), Catch::Contains("\"a?b\""));
  CHECK_THROWS(quote_identifier("", "dataset"));
  CHECK_THROWS(quote_identifier(std::string(1025, 'x'), "table"));
}

TEST_CASE("a full read selects the whole table, an incremental read bounds and orders by cursor and key") {
  TableId table{"my-proj", "sales", "order lines"};
  CHECK(select_statement(table, "", {}) == "SELECT * FROM `my-proj`.`sales`.`order lines`");
  CHECK(select_statement(table, "", {"updated at"}) ==
        "SELECT * FROM `my-proj`.`sales`.`order lines` ORDER BY `updated at`");
  CHECK(select_statement(table, "`updated at` >= @cursor", {"updated at", "id"}) ==
        "SELECT * FROM `my-proj`.`sales`.`order lines` WHERE `updated at` >= @cursor ORDER BY `updated at`, `id`");
  CHECK_THROWS_WITH(select_statement(TableId{"p", "d", "t`; --"}, "", {}), Catch::Contains("table name"));
  CHECK_THROWS_WITH(select_statement(table, "", {"a`b"}), Catch::Contains("cannot quote column name"));
}

TEST_CASE("bounds travel as typed named parameters, never in the SQL text") {
  QueryOptions options;
  options.location = "EU";
  options.page_size = 500;
  auto body = query_request("SELECT 1", {{"cursor", "TIMESTAMP", "2024-05-01 07:53:20.123456+00:00"}, {"key_1", "INT64", "7"}},
                            options, "req-1");
  CHECK(body == json::parse(R"({"query":"SELECT 1","useLegacySql":false,"maxResults":500,"timeoutMs":1000,
      "formatOptions":{"useInt64Timestamp":true},"requestId":"req-1","location":"EU","parameterMode":"NAMED",
      "queryParameters":[{"name":"cursor","parameterType":{"type":"TIMESTAMP"},
                          "parameterValue":{"value":"2024-05-01 07:53:20.123456+00:00"}},
                         {"name":"key_1","parameterType":{"type":"INT64"},"parameterValue":{"value":"7"}}]})"));
  auto unbounded = query_request("SELECT 1", {}, QueryOptions{}, "req-2");
  CHECK_FALSE(unbounded.contains("queryParameters"));
  CHECK_FALSE(unbounded.contains("parameterMode"));
  CHECK_FALSE(unbounded.contains("location"));
}

TEST_CASE("request ids are distinct version-4 UUIDs") {
  auto a = random_request_id(), b = random_request_id();
  CHECK(a != b);
  REQUIRE(a.size() == 36);
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("cursor values become parameter values in BigQuery's literal forms") {
  CHECK(cursor_parameter_value("2024-05-01T07:53:20.123456Z", FieldType::timestamp) ==
        "2024-05-01 07:53:20.123456+00:00");
  CHECK(cursor_parameter_value(json::value(int64_t{9223372036854775807}), FieldType::int64) == "9223372036854775807");
  CHECK(cursor_parameter_value("12345678901234567890123456789.123456789", FieldType::numeric) ==
        "12345678901234567890123456789.123456789");
  CHECK(cursor_parameter_value("2024-05-01", FieldType::date) == "2024-05-01");
  CHECK_FALSE(cursor_parameter_value(nullptr, FieldType::date).has_value());
}

TEST_CASE("only orderable columns can be cursors or key columns") {
  Field ts{"updated_at", FieldType::timestamp, "TIMESTAMP", false, false, {}};
  CHECK(orderable_parameter_type(ts, "cursor_field") == "TIMESTAMP");
  Field id{"id", FieldType::int64, "INTEGER", false, true, {}};
  CHECK(orderable_parameter_type(id, "cursor_field") == "INT64");
  Field tags{"tags", FieldType::string, "STRING", true, false, {}};
  CHECK_THROWS_WITH(orderable_parameter_type(tags, "cursor_field"), Catch::StartsWith("cursor_field tags is REPEATED"));
  Field doc{"doc", FieldType::json, "JSON", false, false, {}};
  CHECK_THROWS_WITH(orderable_parameter_type(doc, "primary_key column"),
                    Catch::StartsWith("primary_key column doc has type JSON, which cannot order rows"));
}

namespace {

std::vector<Field> order_fields() {
  return {{"id", FieldType::int64, "INTEGER", false, true, {}},
          {"updated_at", FieldType::timestamp, "TIMESTAMP", false, false, {}},
          {"doc", FieldType::json, "JSON", false, false, {}}};
}

// sales.orders by updated_at, keyed by one column or none.
sluice::ConfiguredStream orders_stream(const std::string& key, json::value state = nullptr) {
  std::vector<sluice::FieldPath> primary_key;
  if (!key.empty()) primary_key.push_back({key});
  return {"sales", "orders", sluice::SyncMode::incremental_append, {"updated_at"}, primary_key, std::move(state)};
}

}  // namespace

TEST_CASE("an incremental read with a key checkpoints cursor and key and resumes after that row") {
  auto first = plan_incremental_read(orders_stream("id"), order_fields());
  CHECK(first.condition.empty());
  CHECK(first.parameters.empty());
  CHECK(first.keyset.order_by == std::vector<std::string>{"updated_at", "id"});
  json::object record{{"id", 9007199254740993}, {"updated_at", "2024-05-01T00:00:03.000000Z"}};
  auto state = checkpoint_after(first, record);
  REQUIRE(state.has_value());
  CHECK(*state == json::parse(R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:00:03.000000+00:00",
                                  "primary_key":["id"],"key":["9007199254740993"],"cursor_type":"TIMESTAMP"})"));

  auto next = plan_incremental_read(orders_stream("id", *state), order_fields());
  CHECK(next.condition == "`updated_at` >= @cursor AND (`updated_at` > @cursor OR `id` > @key_1)");
  REQUIRE(next.parameters.size() == 2);
  CHECK(next.parameters[0].name == "cursor");
  CHECK(next.parameters[0].type == "TIMESTAMP");
  CHECK(next.parameters[0].value == "2024-05-01 00:00:03.000000+00:00");
  CHECK(next.parameters[1].name == "key_1");
  CHECK(next.parameters[1].type == "INT64");
  CHECK(next.parameters[1].value == "9007199254740993");
  CHECK_FALSE(checkpoint_after(first, json::object{{"id", 1}, {"updated_at", nullptr}}).has_value());
}

TEST_CASE("a state from before keys were recorded is read inclusively once, then with its key") {
  json::value old = json::parse(
      R"({"cursor_field":"updated_at","cursor_type":"TIMESTAMP","cursor":"2024-05-01 00:00:00.000000+00:00"})");
  auto read = plan_incremental_read(orders_stream("id", old), order_fields());
  CHECK(read.condition == "`updated_at` >= @cursor");
  REQUIRE(read.parameters.size() == 1);
  CHECK(read.parameters[0].type == "TIMESTAMP");
  CHECK(read.parameters[0].value == "2024-05-01 00:00:00.000000+00:00");
  CHECK(read.keyset.order_by == std::vector<std::string>{"updated_at", "id"});
  auto state = checkpoint_after(read, json::object{{"id", 4}, {"updated_at", "2024-05-01T00:00:01.000000Z"}});
  REQUIRE(state.has_value());
  CHECK(state->at("key") == json::parse(R"(["4"])"));
}

TEST_CASE("a cursor or key that is not an orderable column, or a state of another cursor type, is refused") {
  CHECK_THROWS_WITH(plan_incremental_read(orders_stream("nope"), order_fields()),
                    Catch::StartsWith("primary_key column nope is not a column of the table"));
  CHECK_THROWS_WITH(plan_incremental_read(orders_stream("doc"), order_fields()),
                    Catch::Contains("type JSON, which cannot order rows"));
  json::value typed = json::parse(R"({"cursor_field":"updated_at","cursor_type":"DATE","cursor":"2024-05-01"})");
  CHECK_THROWS_WITH(plan_incremental_read(orders_stream("", typed), order_fields()),
                    Catch::Contains("the saved state is for a DATE cursor, column updated_at is now TIMESTAMP") &&
                        Catch::Contains("sluice state reset CONNECTION --stream sales.orders"));
}
