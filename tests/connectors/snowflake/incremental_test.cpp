// Incremental syncs through the CLI: the checkpoint's cursor (nanoseconds)
// and key bound at full precision, a second run at the maximum, rows written
// later with exactly the checkpoint's cursor, checkpoints per partition.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;
using sluice::test::Rows;

namespace {

const std::string kNtz = "TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')";

json::object last_read(const SnowflakeFixture& f) { return f.fake->statements().back(); }
std::string last_sql(const SnowflakeFixture& f) { return std::string(last_read(f).at("statement").as_string()); }

}  // namespace

TEST_CASE("incremental dedup binds the last row's nanosecond cursor and key - a run at the maximum reads nothing new") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 6, /*same=*/2);  // (1,2) (3,4) (5,6) share their UPDATED_AT
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "incremental_append_dedup", "UPDATED_AT", "ID")});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT id, amount, updated_at FROM sales_public__orders ORDER BY id") ==
        Rows{{"1", "1.01", "2024-05-01T00:00:00.000000001"}, {"2", "2.02", "2024-05-01T00:00:00.000000001"},
             {"3", "3.03", "2024-05-01T00:00:00.000000002"}, {"4", "4.04", "2024-05-01T00:00:00.000000002"},
             {"5", "5.05", "2024-05-01T00:00:00.000000003"}, {"6", "6.06", "2024-05-01T00:00:00.000000003"}});
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"UPDATED_AT","cursor":"2024-05-01T00:00:00.000000003","primary_key":["ID"],"key":["6"],"types":["TIMESTAMP_NTZ","FIXED"]})"}});
  CHECK(last_read(f).at("statement") == "SELECT * FROM \"PUBLIC\".\"ORDERS\" ORDER BY \"UPDATED_AT\", \"ID\"");

  // The stored cursor is the table's maximum: the next run reads no row.
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(last_sql(f) == "SELECT * FROM \"PUBLIC\".\"ORDERS\" WHERE \"UPDATED_AT\" >= " + kNtz +
                                            " AND (\"UPDATED_AT\" > " + kNtz + " OR \"ID\" > ?) ORDER BY \"UPDATED_AT\", \"ID\"");
  CHECK(last_read(f).at("bindings") == json::parse(R"({
    "1": {"type": "TEXT", "value": "2024-05-01T00:00:00.000000003"},
    "2": {"type": "TEXT", "value": "2024-05-01T00:00:00.000000003"},
    "3": {"type": "FIXED", "value": "6"}})"));
  CHECK(f.rows("SELECT count(*) FROM sales_public__orders") == Rows{{"6"}});
  CHECK_THAT(second.all(), Catch::Contains("0 records"));

  // Later: row 7 with exactly the checkpoint's cursor (a higher key), row 8
  // one nanosecond later, and row 2 updated past them.
  f.fake->database().insert("PUBLIC", "ORDERS",
                            {{"7", "7.00", "2024-05-01 00:00:00.000000003"}, {"8", "8.00", "2024-05-01 00:00:00.000000004"}});
  auto third = f.sync();
  INFO(third.all());
  REQUIRE(third.exit_code == 0);
  CHECK(f.rows("SELECT id, updated_at FROM sales_public__orders WHERE id >= 6 ORDER BY id") ==
        Rows{{"6", "2024-05-01T00:00:00.000000003"}, {"7", "2024-05-01T00:00:00.000000003"},
             {"8", "2024-05-01T00:00:00.000000004"}});
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM sales_public__orders") == Rows{{"8", "8"}});
}

TEST_CASE("incremental append without a key reads rows at the checkpoint's cursor again (inclusive), never missing one") {
  SnowflakeFixture f;
  auto& db = f.fake->database();
  db.create_table("PUBLIC", "READINGS", {{"METER", "VARCHAR"}, {"READ_AT", "TIMESTAMP_NTZ(9)"}});  // no key declared
  db.insert("PUBLIC", "READINGS", {{"a", "2024-05-01 00:00:00.000000001"}, {"b", "2024-05-01 00:00:00.000000002"},
                                   {"c", "2024-05-01 00:00:00.000000002"}});
  f.write_connection({stream_selection("PUBLIC", "READINGS", "incremental_append", "READ_AT")});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"READ_AT","cursor":"2024-05-01T00:00:00.000000002","types":["TIMESTAMP_NTZ"]})"}});
  // A row written later with exactly the checkpoint's cursor value.
  db.insert("PUBLIC", "READINGS", {{"d", "2024-05-01 00:00:00.000000002"}});
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(last_sql(f) == "SELECT * FROM \"PUBLIC\".\"READINGS\" WHERE \"READ_AT\" >= " + kNtz + " ORDER BY \"READ_AT\"");
  CHECK(last_read(f).at("bindings") == json::parse(R"({"1": {"type": "TEXT", "value": "2024-05-01T00:00:00.000000002"}})"));
  // b and c (at the checkpoint's cursor) are read again, as documented; d is not missed.
  CHECK(f.rows("SELECT meter, count(*) FROM sales_public__readings GROUP BY meter ORDER BY meter") ==
        Rows{{"a", "1"}, {"b", "2"}, {"c", "2"}, {"d", "1"}});
}

TEST_CASE("a TIMESTAMP_TZ cursor keeps its offset and nanoseconds in the state and the binding") {
  SnowflakeFixture f;
  f.fake->database().create_table("PUBLIC", "EVENTS", {{"ID", "NUMBER(18,0)"}, {"AT", "TIMESTAMP_TZ(9)"}}, {"ID"});
  f.fake->database().insert("PUBLIC", "EVENTS", {{"1", "2024-05-01 09:00:00.000000001 +02:00"},
                                                 {"2", "2024-05-01 10:00:00.123456789 -05:30"}});
  f.write_connection({stream_selection("PUBLIC", "EVENTS", "incremental_append_dedup", "AT", "ID")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT id, \"at\" FROM sales_public__events ORDER BY id") ==
        Rows{{"1", "2024-05-01T11:00:00.000000001+02:00"}, {"2", "2024-05-01T04:30:00.123456789-05:30"}});
  f.fake->database().insert("PUBLIC", "EVENTS", {{"3", "2024-05-01 10:00:00.123456789 +00:00"}});
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(last_read(f).at("bindings").at("1") ==
        json::parse(R"({"type": "TEXT", "value": "2024-05-01T04:30:00.123456789-05:30"})"));
  CHECK(f.rows("SELECT id FROM sales_public__events ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}});
}
