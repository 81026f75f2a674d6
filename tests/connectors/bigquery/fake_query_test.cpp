// The fake's query engine: it accepts exactly the connector's statement
// shapes and evaluates them with BigQuery's typing and NULL ordering.
#include "fake_query.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_fake;

namespace {

FakeTable events() {
  FakeTable table;
  table.fields = {field("id", "INTEGER"), field("at", "TIMESTAMP"), field("amount", "NUMERIC")};
  table.rows = {row({cell("3"), cell("3000000"), cell("10.5")}), row({cell("1"), null_cell(), cell("-2")}),
                row({cell("2"), cell("1000000"), cell("100")}), row({cell("4"), cell("3000000"), cell("9.99")})};
  return table;
}

std::vector<std::string> ids(const QueryResult& result) {
  std::vector<std::string> out;
  for (const auto* r : result.rows) out.emplace_back(r->at("f").at(0).at("v").as_string());
  return out;
}

json::array parameter(const char* type, const char* value) {
  return json::array{{{"name", "cursor"}, {"parameterType", {{"type", type}}}, {"parameterValue", {{"value", value}}}}};
}

}  // namespace

TEST_CASE("the fake parses the connector's statements and refuses anything else") {
  auto q = parse_query("SELECT * FROM `p`.`d s`.`t;x` WHERE `a b` >= @cursor ORDER BY `a b`");
  REQUIRE(q.has_value());
  CHECK(q->dataset == "d s");
  CHECK(q->table == "t;x");
  REQUIRE(q->where.has_value());
  CHECK(q->where->kind == Condition::Kind::comparison);
  CHECK(q->where->column == "a b");
  CHECK(q->where->op == ">=");
  CHECK(q->where->parameter == "cursor");
  CHECK(q->order_by == std::vector<std::string>{"a b"});

  auto keyset = parse_query("SELECT * FROM `p`.`d`.`t` WHERE `at` >= @cursor AND (`at` > @cursor OR `r` > @key_1 OR "
                            "(`r` = @key_1 AND `id` > @key_2)) ORDER BY `at`, `r`, `id`");
  REQUIRE(keyset.has_value());
  REQUIRE(keyset->where->kind == Condition::Kind::all);
  REQUIRE(keyset->where->operands.size() == 2);
  const auto& after = keyset->where->operands[1];
  CHECK(after.kind == Condition::Kind::any);
  REQUIRE(after.operands.size() == 3);
  CHECK(after.operands[2].kind == Condition::Kind::all);
  CHECK(after.operands[2].operands[0].op == "=");
  CHECK(keyset->order_by == std::vector<std::string>{"at", "r", "id"});

  CHECK(parse_query("SELECT * FROM `p`.`d`.`t`").has_value());
  CHECK_FALSE(parse_query("SELECT * FROM p.d.t").has_value());
  CHECK_FALSE(parse_query("SELECT * FROM `p`.`d`.`t` WHERE `a` >= '2024-01-01'").has_value());
  CHECK_FALSE(parse_query("SELECT * FROM `p`.`d`.`t` WHERE (`a` >= @x").has_value());
  CHECK_FALSE(parse_query("SELECT * FROM `p`.`d`.`t` ORDER BY `a`,`b`").has_value());
  CHECK_FALSE(parse_query("SELECT * FROM `p`.`d`.`t`; DROP TABLE x").has_value());
}

TEST_CASE("the fake filters with >= on typed values and orders NULLs first, stably") {
  auto table = events();
  auto all = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` ORDER BY `at`"), table, {});
  CHECK(ids(all) == std::vector<std::string>{"1", "2", "3", "4"});
  auto since = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` WHERE `at` >= @cursor ORDER BY `at`"), table,
                             parameter("TIMESTAMP", "1970-01-01 00:00:03.000000+00:00"));
  CHECK(ids(since) == std::vector<std::string>{"3", "4"});
  auto decimals = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` WHERE `amount` >= @cursor ORDER BY `amount`"),
                                table, parameter("NUMERIC", "9.995"));
  CHECK(ids(decimals) == std::vector<std::string>{"3", "2"});
}

TEST_CASE("the fake evaluates keyset conditions with AND, OR and = and orders by several columns") {
  auto table = events();
  table.rows.push_back(row({cell("0"), cell("3000000"), cell("1")}));
  auto by_at_then_id = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` ORDER BY `at`, `id`"), table, {});
  CHECK(ids(by_at_then_id) == std::vector<std::string>{"1", "2", "0", "3", "4"});
  json::array parameters = parameter("TIMESTAMP", "1970-01-01 00:00:03+00:00");
  parameters.push_back(json::object{{"name", "key_1"}, {"parameterType", {{"type", "INT64"}}},
                                    {"parameterValue", {{"value", "0"}}}});
  auto after = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` WHERE `at` >= @cursor AND (`at` > @cursor OR "
                                          "`id` > @key_1) ORDER BY `at`, `id`"),
                             table, parameters);
  CHECK(ids(after) == std::vector<std::string>{"3", "4"});
  auto equal = execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` WHERE `id` = @key_1 OR `id` = @key_1"), table,
                             parameters);
  CHECK(ids(equal) == std::vector<std::string>{"0"});
}

TEST_CASE("the fake refuses a mistyped or missing parameter and an unknown column like BigQuery") {
  auto table = events();
  auto query = *parse_query("SELECT * FROM `p`.`d`.`t` WHERE `at` >= @cursor ORDER BY `at`");
  CHECK_THROWS_WITH(execute_query(query, table, parameter("STRING", "x")),
                    Catch::Contains("No matching signature for operator >= for argument types: TIMESTAMP, STRING"));
  CHECK_THROWS_WITH(execute_query(query, table, {}), Catch::Contains("Query parameter 'cursor' not found"));
  CHECK_THROWS_WITH(execute_query(*parse_query("SELECT * FROM `p`.`d`.`t` ORDER BY `nope`"), table, {}),
                    Catch::Contains("Unrecognized name: nope"));
}

TEST_CASE("TIMESTAMP literals parse in BigQuery's canonical forms") {
  CHECK(parse_timestamp_literal("2024-05-01 07:53:20.123456+00:00") == 1714550000123456);
  CHECK(parse_timestamp_literal("2024-05-01T07:53:20.123456Z") == 1714550000123456);
  CHECK(parse_timestamp_literal("2024-05-01 09:53:20+02:00") == 1714550000000000);
  CHECK_FALSE(parse_timestamp_literal("yesterday").has_value());
}

TEST_CASE("BYTES order by their bytes, not by the base64 text the wire carries") {
  // 0x00 "AA==", 0x7f "fw==", 0xf8 "+A==", 0xff "/w==", 0xff 0x00 "/wA=": the
  // text orders them +A== < /w== < /wA= < AA== < fw==.
  FakeTable table;
  table.fields = {field("id", "INTEGER"), field("tag", "BYTES")};
  table.rows = {row({cell("4"), cell("/w==")}), row({cell("1"), cell("AA==")}), row({cell("3"), cell("+A==")}),
                row({cell("5"), cell("/wA=")}), row({cell("2"), cell("fw==")})};
  auto sorted = parse_query("SELECT * FROM `p`.`d`.`t` ORDER BY `tag`");
  REQUIRE(sorted.has_value());
  CHECK(ids(execute_query(*sorted, table, {})) == std::vector<std::string>{"1", "2", "3", "4", "5"});

  auto after = parse_query("SELECT * FROM `p`.`d`.`t` WHERE `tag` > @cursor ORDER BY `tag`");
  REQUIRE(after.has_value());
  CHECK(ids(execute_query(*after, table, parameter("BYTES", "fw=="))) == std::vector<std::string>{"3", "4", "5"});
  CHECK_THROWS_WITH(execute_query(*after, table, parameter("BYTES", "not base64!")),
                    Catch::Contains("Invalid BYTES value"));
}

TEST_CASE("the fake names each statement as BigQuery's dry run does") {
  CHECK(statement_type("SELECT 1") == "SELECT");
  CHECK(statement_type("  -- a comment\n with x AS (SELECT 1) SELECT * FROM x") == "SELECT");
  CHECK(statement_type("(SELECT 1)") == "SELECT");
  CHECK(statement_type("insert into d.t VALUES (1)") == "INSERT");
  CHECK(statement_type("/* x */ DELETE FROM d.t WHERE TRUE") == "DELETE");
  CHECK(statement_type("MERGE d.t USING d.s ON FALSE WHEN NOT MATCHED THEN INSERT ROW") == "MERGE");
  CHECK(statement_type("CREATE OR REPLACE TABLE d.t AS SELECT 1 AS x") == "CREATE_TABLE_AS_SELECT");
  CHECK(statement_type("CREATE TABLE d.t (x INT64)") == "CREATE_TABLE");
  CHECK(statement_type("DROP TABLE d.t") == "DROP_TABLE");
  CHECK(statement_type("SELECT 1; SELECT 2") == "SCRIPT");
  CHECK(statement_type("SELECT ';' AS x;") == "SELECT");  // a ';' in a string, and a last one
  CHECK(statement_type("EXPLAIN SELECT 1").empty());
}

TEST_CASE("the fake reads a user's SELECT: quoted or bare names, a two-part table in the job's project, "
          "@parameters with their columns, ORDER BY and LIMIT") {
  auto q = parse_select("select `id` AS n, status, @p FROM sales.orders\n  WHERE id <= @max AND (status != @s OR id < @m) "
                        "ORDER BY id ASC LIMIT 5;",
                        "proj");
  REQUIRE(q.has_value());
  CHECK(q->project == "proj");
  CHECK(q->dataset == "sales");
  CHECK(q->table == "orders");
  REQUIRE(q->items.size() == 3);
  CHECK(q->items[0].column == "id");
  CHECK(q->items[0].alias == "n");
  CHECK(q->items[2].parameter == "p");
  CHECK(q->limit == 5u);
  CHECK(q->parameter_uses == std::vector<ParameterUse>{{"p", 1, 27}, {"max", 2, 15}, {"s", 2, 35}, {"m", 2, 46}});
  CHECK(parse_select("SELECT * FROM `p.d.t`", "x")->project == "p");
  CHECK(parse_select("SELECT * FROM `p`.`d`.`t`", "x")->table == "t");
  CHECK_FALSE(parse_select("SELECT * FROM t", "x"));                // no dataset
  CHECK_FALSE(parse_select("SELECT a FROM d.t WHERE a = 1", "x"));  // the fake compares with parameters only
  CHECK_FALSE(parse_select("SELECT * FROM d.t JOIN d.u", "x"));

  // Parameters: a missing one is named with its column; a value not of its type is refused.
  FakeTable table = events();
  StoredTable stored{table, {}, {}, 0, {}};
  auto where = parse_select("SELECT id FROM d.t WHERE id >= @from", "x");
  CHECK_THROWS_WITH(execute_query(*where, &stored, json::array{}), "Query parameter 'from' not found at [1:32]");
  json::array bad{{{"name", "from"}, {"parameterType", {{"type", "INT64"}}}, {"parameterValue", {{"value", "1.5"}}}}};
  CHECK_THROWS_WITH(execute_query(*where, &stored, bad), "Invalid INT64 value for query parameter 'from': 1.5");
  json::array from{{{"name", "from"}, {"parameterType", {{"type", "INT64"}}}, {"parameterValue", {{"value", "3"}}}}};
  const QueryResult result = execute_query(*where, &stored, from);
  CHECK(result.fields.size() == 1);
  REQUIRE(result.rows.size() == 2);
  CHECK(json::serialize(*result.rows[0]) == R"({"f":[{"v":"3"}]})");
}
