// Statement text and bindings: identifiers quoted, values only ever bound.
#include "cursor.hpp"
#include "discovery.hpp"
#include "identifiers.hpp"
#include "settings.hpp"
#include "statement.hpp"
#include "table_reader.hpp"

#include <catch2/catch.hpp>

using namespace snowflake;

TEST_CASE("identifiers are double-quoted with quotes doubled - control characters are refused") {
  CHECK(quote_identifier("ORDERS", "table") == "\"ORDERS\"");
  CHECK(quote_identifier("Order \"Items\"; DROP TABLE x", "table") == "\"Order \"\"Items\"\"; DROP TABLE x\"");
  CHECK_THROWS_WITH(quote_identifier("a\nb", "column"),
                    "cannot quote column name \"a?b\": it is empty, longer than 255 bytes, or holds a control character");
  CHECK_THROWS(quote_identifier("", "table"));
  CHECK_THROWS(quote_identifier(std::string(256, 'a'), "table"));
}

TEST_CASE("the statement body carries context, timeout, tag and every binding") {
  const Settings settings = read_settings(sluice::Config(json::parse(R"({
    "account": "myorg-myaccount", "user": "u", "database": "SALES", "warehouse": "WH", "role": "READER",
    "statement_timeout_seconds": 60, "credentials": {"auth_type": "oauth", "token": "t"}})").as_object()));
  CHECK(settings.endpoint.base_url == "https://myorg-myaccount.snowflakecomputing.com");
  Statement statement{"SELECT * FROM \"S\".\"T\" WHERE \"C\" >= ?", {{"FIXED", "12345678901234567890123456789012345678"}}, "S"};
  CHECK(statement_body(statement, settings) == json::parse(R"({
    "statement": "SELECT * FROM \"S\".\"T\" WHERE \"C\" >= ?", "timeout": 60, "database": "SALES", "schema": "S",
    "warehouse": "WH", "role": "READER",
    "bindings": {"1": {"type": "FIXED", "value": "12345678901234567890123456789012345678"}},
    "parameters": {"timezone": "UTC", "query_tag": "sluice"}})"));
}

TEST_CASE("the account gives the host - a locator keeps its region") {
  CHECK(default_base_url("MyOrg-My_Account") == "https://myorg-my-account.snowflakecomputing.com");
  CHECK(default_base_url("xy12345.eu-west-1") == "https://xy12345.eu-west-1.snowflakecomputing.com");
}

TEST_CASE("discovery binds the schema names it filters on") {
  auto statement = columns_statement({"PUBLIC", "it's"});
  CHECK(statement.sql.find("it's") == std::string::npos);
  CHECK(statement.sql.find("c.TABLE_SCHEMA <> ? AND c.TABLE_SCHEMA IN (?, ?)") != std::string::npos);
  REQUIRE(statement.bindings.size() == 3);
  CHECK(statement.bindings[2].value == "it's");
}

TEST_CASE("an incremental read binds the checkpoint's values at full precision, typed in the SQL") {
  sluice::ConfiguredStream stream;
  stream.ns = "SALES.PUBLIC";
  stream.name = "ORDERS";
  stream.sync_mode = sluice::SyncMode::incremental_append_dedup;
  stream.cursor_field = {"UPDATED_AT"};
  stream.primary_key = {{"ID"}};
  SECTION("a first run has no bound") {
    auto read = plan_incremental_read(stream);
    CHECK(read.condition.empty());
    CHECK(select_sql("PUBLIC", "ORDERS", read.condition, read.keyset.order_by) ==
          "SELECT * FROM \"PUBLIC\".\"ORDERS\" ORDER BY \"UPDATED_AT\", \"ID\"");
  }
  SECTION("a checkpoint bounds it after its row") {
    stream.state = json::parse(R"({"cursor_field": "UPDATED_AT", "cursor": "2024-05-01T09:51:12.345678912",
      "primary_key": ["ID"], "key": ["12345678901234567890123456789012345678"], "types": ["TIMESTAMP_NTZ", "FIXED"]})");
    auto read = plan_incremental_read(stream);
    const std::string ts = "TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')";
    CHECK(read.condition == "\"UPDATED_AT\" >= " + ts + " AND (\"UPDATED_AT\" > " + ts + " OR \"ID\" > ?)");
    REQUIRE(read.bindings.size() == 3);
    CHECK(read.bindings[0].type == "TEXT");
    CHECK(read.bindings[0].value == "2024-05-01T09:51:12.345678912");
    CHECK(read.bindings[2].type == "FIXED");
    CHECK(read.bindings[2].value == "12345678901234567890123456789012345678");
  }
  SECTION("a TIMESTAMP_LTZ cursor is bound with its offset, a TZ one with its own") {
    CHECK(bound_value("TIMESTAMP_LTZ", "2024-05-01T09:51:12.1Z").second.value == "2024-05-01T09:51:12.1+00:00");
    CHECK(bound_value("timestamp_tz", "2024-05-01T11:51:12.1+02:00").first ==
          "TO_TIMESTAMP_TZ(?, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM')");
    CHECK(bound_value("DATE", "2024-05-01").first == "TO_DATE(?, 'YYYY-MM-DD')");
  }
}
