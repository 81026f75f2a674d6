// The SQL and jobs.query bodies the connector sends, and its checkpoints:
// identifiers quoted and validated, values only ever as parameters.
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

TEST_CASE("a full read selects the whole table, an incremental read bounds and orders by the cursor") {
  TableId table{"my-proj", "sales", "order lines"};
  CHECK(select_statement(table, "", false) == "SELECT * FROM `my-proj`.`sales`.`order lines`");
  CHECK(select_statement(table, "updated at", false) ==
        "SELECT * FROM `my-proj`.`sales`.`order lines` ORDER BY `updated at`");
  CHECK(select_statement(table, "updated at", true) ==
        "SELECT * FROM `my-proj`.`sales`.`order lines` WHERE `updated at` >= @cursor ORDER BY `updated at`");
  CHECK_THROWS_WITH(select_statement(TableId{"p", "d", "t`; --"}, "", false), Catch::Contains("table name"));
}

TEST_CASE("the cursor value travels as a typed named parameter, never in the SQL text") {
  CursorBound bound{"TIMESTAMP", "2024-05-01 07:53:20.123456+00:00"};
  QueryOptions options;
  options.location = "EU";
  options.page_size = 500;
  auto body = query_request("SELECT 1", bound, options, "req-1");
  CHECK(body == json::parse(R"({"query":"SELECT 1","useLegacySql":false,"maxResults":500,"timeoutMs":10000,
      "formatOptions":{"useInt64Timestamp":true},"requestId":"req-1","location":"EU","parameterMode":"NAMED",
      "queryParameters":[{"name":"cursor","parameterType":{"type":"TIMESTAMP"},
                          "parameterValue":{"value":"2024-05-01 07:53:20.123456+00:00"}}]})"));
  auto unbounded = query_request("SELECT 1", std::nullopt, QueryOptions{}, "req-2");
  CHECK_FALSE(unbounded.contains("queryParameters"));
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

TEST_CASE("only orderable columns can be cursors") {
  Field ts{"updated_at", FieldType::timestamp, "TIMESTAMP", false, false, {}};
  CHECK(cursor_parameter_type(ts, "sales.orders") == "TIMESTAMP");
  Field id{"id", FieldType::int64, "INTEGER", false, true, {}};
  CHECK(cursor_parameter_type(id, "sales.orders") == "INT64");
  Field tags{"tags", FieldType::string, "STRING", true, false, {}};
  CHECK_THROWS_WITH(cursor_parameter_type(tags, "sales.orders"),
                    Catch::Contains("stream sales.orders: cursor_field tags is REPEATED"));
  Field doc{"doc", FieldType::json, "JSON", false, false, {}};
  CHECK_THROWS_WITH(cursor_parameter_type(doc, "sales.orders"), Catch::Contains("type JSON, which cannot order rows"));
}

TEST_CASE("checkpoints round-trip, and a checkpoint for another cursor is refused") {
  auto state = cursor_state("updated_at", CursorBound{"TIMESTAMP", "2024-05-01 00:00:00.000000+00:00"});
  CHECK(state == json::parse(R"({"cursor_field":"updated_at","cursor_type":"TIMESTAMP",
                                 "cursor":"2024-05-01 00:00:00.000000+00:00"})"));
  auto bound = cursor_from_state(state, "updated_at", "TIMESTAMP", "sales.orders");
  REQUIRE(bound.has_value());
  CHECK(bound->value == "2024-05-01 00:00:00.000000+00:00");
  CHECK_FALSE(cursor_from_state(nullptr, "updated_at", "TIMESTAMP", "s").has_value());
  CHECK_FALSE(cursor_from_state(json::object{}, "updated_at", "TIMESTAMP", "s").has_value());
  CHECK_THROWS_WITH(cursor_from_state(state, "id", "INT64", "sales.orders"),
                    Catch::Contains("saved state is for cursor updated_at (TIMESTAMP), the connection now uses id (INT64)") &&
                        Catch::Contains("sluice state reset"));
  CHECK_THROWS_WITH(cursor_from_state(json::parse(R"({"ts":"x"})"), "id", "INT64", "s"),
                    Catch::Contains("not a cursor checkpoint"));
}
