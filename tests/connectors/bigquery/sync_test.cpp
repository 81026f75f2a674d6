// Syncs through the CLI against the fake into SQLite: exact values, the
// query shapes on the wire, incremental cursors, pages, polling.
#include "bigquery_fixture.hpp"
#include "fixture_tables.hpp"

#include <catch2/catch.hpp>

using namespace bigquery_test;
using sluice::test::Rows;

TEST_CASE("a full refresh lands every type exactly: INT64 extremes, 38-digit NUMERIC, microsecond timestamps, nested values") {
  BigQueryFixture f;
  f.fake->add_table("sales", "all_types", all_types_table());
  f.write_connection({stream_selection("sales", "all_types", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);

  CHECK(f.rows("SELECT id, name, payload, amount, big FROM sales__all_types ORDER BY id") ==
        Rows{{"-9223372036854775808", "", "", "-0.000000001", "0"},
             {"42", "NULL", "NULL", "NULL", "NULL"},
             {"9223372036854775807", "Zoë \"quoted\" ☃", "3q2+7w==", "12345678901234567890123456789.123456789",
              "-578960446186580977117854925043439539266.34992332820282019728792003956564819967"}});
  CHECK(f.rows("SELECT typeof(id), ratio, active, created_at, day, at_time, local_dt FROM sales__all_types ORDER BY id") ==
        Rows{{"integer", "-1.0e+20", "0", "1969-12-31T23:59:59.999999Z", "0001-01-01", "00:00:00", "9999-12-31T23:59:59.999999"},
             {"integer", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
             {"integer", "0.1", "1", "2024-05-01T07:53:20.123456Z", "2024-05-01", "12:34:56.123456", "2024-05-01T12:34:56.789"}});
  CHECK(f.rows("SELECT doc, place, tags, customer, lines FROM sales__all_types WHERE id = 9223372036854775807") ==
        Rows{{R"({"plan":"pro","limits":[1,2]})", "POINT(1 2)", R"(["a","b"])",
              R"({"name":"Ann","since":"2020-01-01","address":{"city":"Paris","zip":"75001"}})",
              R"([{"sku":"x-1","qty":2,"shipped_at":"2024-05-01T07:53:20.000001Z"},{"sku":"y-2","qty":null,"shipped_at":null}])"}});
  // NaN has no JSON number: kept as text in _sluice_uncast, the column NULL.
  CHECK(f.rows("SELECT ratio, _sluice_uncast FROM sales__all_types WHERE id = 42") == Rows{{"NULL", R"({"ratio":"NaN"})"}});

  // The wire: one standard-SQL job over the quoted table, int64 timestamps.
  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 1);
  CHECK(queries[0].at("query") == "SELECT * FROM `my-proj`.`sales`.`all_types`");
  CHECK(queries[0].at("useLegacySql") == false);
  CHECK(queries[0].at("formatOptions").at("useInt64Timestamp") == true);
  CHECK_FALSE(queries[0].contains("queryParameters"));
}

TEST_CASE("incremental dedup: cursor and key travel as named parameters and a run reads only after the last row delivered") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 6, /*ids_per_second=*/2));  // (1,2) (3,4) (5,6) share cursors
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "updated_at", "id")},
                     {{"page_size", 4}});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT count(*) FROM sales__orders") == Rows{{"6"}});
  // The checkpoint names the last row: its cursor and its key.
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:00:03.000000+00:00","primary_key":["id"],"key":["6"],"cursor_type":"TIMESTAMP"})"}});

  // Row 7 arrives with the checkpoint's own cursor value, row 8 later, and
  // row 5 is updated (its cursor moves on).
  auto table = orders_table(1, 6, 2);
  table.rows[4] = order_row(5, kMay1Micros + 9'000'000, "5.75", "paid");
  table.rows.push_back(order_row(7, kMay1Micros + 3'000'000, "7.50", "new"));
  table.rows.push_back(order_row(8, kMay1Micros + 9'000'000, "8.50", "new"));
  f.fake->add_table("sales", "orders", table);
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);

  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 2);
  CHECK(queries[0].at("query") == "SELECT * FROM `my-proj`.`sales`.`orders` ORDER BY `updated_at`, `id`");
  CHECK(queries[1].at("query") ==
        "SELECT * FROM `my-proj`.`sales`.`orders` WHERE `updated_at` >= @cursor AND (`updated_at` > @cursor OR "
        "`id` > @key_1) ORDER BY `updated_at`, `id`");
  CHECK(queries[1].at("parameterMode") == "NAMED");
  CHECK(queries[1].at("queryParameters") == json::parse(R"([
      {"name":"cursor","parameterType":{"type":"TIMESTAMP"},"parameterValue":{"value":"2024-05-01 00:00:03.000000+00:00"}},
      {"name":"key_1","parameterType":{"type":"INT64"},"parameterValue":{"value":"6"}}])"));

  CHECK(f.rows("SELECT id, updated_at, amount, status FROM sales__orders ORDER BY id") ==
        Rows{{"1", "2024-05-01T00:00:01.000000Z", "1.50", "new"},
             {"2", "2024-05-01T00:00:01.000000Z", "2.50", "new"},
             {"3", "2024-05-01T00:00:02.000000Z", "3.50", "new"},
             {"4", "2024-05-01T00:00:02.000000Z", "4.50", "new"},
             {"5", "2024-05-01T00:00:09.000000Z", "5.75", "paid"},
             {"6", "2024-05-01T00:00:03.000000Z", "6.50", "new"},
             {"7", "2024-05-01T00:00:03.000000Z", "7.50", "new"},
             {"8", "2024-05-01T00:00:09.000000Z", "8.50", "new"}});
  // The second run delivered rows 7, 5 and 8 only: row 6 was not read again.
  CHECK(f.rows("SELECT id FROM sales__orders WHERE _sluice_sync_id <> "
               "(SELECT _sluice_sync_id FROM sales__orders WHERE id = 1) ORDER BY id") == Rows{{"5"}, {"7"}, {"8"}});
}

TEST_CASE("incremental append with a key delivers every row exactly once over runs, checkpoints falling among equal cursors") {
  // Cursor values come in threes (ids 1-3, 4-6, 7-9...), pages in twos: most
  // checkpoints fall between rows that share a cursor value.
  BigQueryFixture f;
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")},
                     {{"page_size", 2}});
  for (int last : {5, 8, 13}) {  // rows added between runs, some at the last checkpoint's cursor value
    f.fake->add_table("sales", "orders", orders_table(1, last, /*ids_per_second=*/3));
    auto run = f.sync();
    INFO(run.all());
    REQUIRE(run.exit_code == 0);
    CHECK(f.rows("SELECT count(*), count(DISTINCT id), max(id) FROM sales__orders") ==
          Rows{{std::to_string(last), std::to_string(last), std::to_string(last)}});
  }
  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 3);
  CHECK(queries[1].at("queryParameters").at(1).at("parameterValue").at("value") == "5");
  CHECK(queries[2].at("queryParameters").at(1).at("parameterValue").at("value") == "8");
}

TEST_CASE("incremental append without a key re-reads exactly the rows that hold the checkpoint's cursor value") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 4, 2));
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:00:02.000000+00:00","cursor_type":"TIMESTAMP"})"}});
  REQUIRE(f.sync().exit_code == 0);  // nothing new: rows 3 and 4 (the checkpoint's value) come again
  CHECK(f.fake->query_requests().at(1).at("query") ==
        "SELECT * FROM `my-proj`.`sales`.`orders` WHERE `updated_at` >= @cursor ORDER BY `updated_at`");
  CHECK(f.rows("SELECT id, count(*) FROM sales__orders GROUP BY id ORDER BY id") ==
        Rows{{"1", "1"}, {"2", "1"}, {"3", "2"}, {"4", "2"}});
}

TEST_CASE("a result spanning many pages checkpoints per page, and an interrupted sync resumes after the last committed row") {
  BigQueryFixture f;
  // Three ids per cursor value: the checkpoint after row 800 falls among
  // rows 799-801, which share one.
  f.fake->add_table("sales", "orders", orders_table(1, 2500, /*ids_per_second=*/3));
  f.fake->set_page_rows(100);  // the server cuts pages below the page_size asked for
  f.fake->fail_results_after(7);  // the 8th getQueryResults call and later: 403 accessDenied
  // One page at a time, so the 8th call is the same one every run.
  f.write_connection({stream_selection("sales", "orders", "incremental_append", "updated_at", "id")},
                     {{"page_size", 1000}, {"concurrency", 1}});
  auto interrupted = f.sync();
  INFO(interrupted.all());
  CHECK(interrupted.exit_code == 1);
  // jobs.query returned rows 1-100, getQueryResults 100 rows a call from
  // startIndex 100, the rest of each cut page asked for next, each response
  // checkpointed: 800 rows committed.
  CHECK(f.rows("SELECT count(*), max(id) FROM sales__orders") == Rows{{"800", "800"}});
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"updated_at","cursor":"2024-05-01 00:04:27.000000+00:00","primary_key":["id"],"key":["800"],"cursor_type":"TIMESTAMP"})"}});

  f.fake->fail_results_after(-1);
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 2);
  CHECK(queries[1].at("queryParameters").at(0).at("parameterValue").at("value") == "2024-05-01 00:04:27.000000+00:00");
  CHECK(queries[1].at("queryParameters").at(1).at("parameterValue").at("value") == "800");
  // Appended, not deduplicated: rows 801 on arrived once, none before again.
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM sales__orders") ==
        Rows{{"2500", "2500", "1", "2500"}});
}

TEST_CASE("an access token that expires mid-sync is replaced and the read carries on") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 50));
  f.fake->set_page_rows(10);
  f.fake->expire_tokens_at_result_call(2);
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  // One for the session (discover and read share it), one replacing the
  // expired one.
  CHECK(f.fake->tokens_issued() == 2);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM sales__orders") == Rows{{"50", "50"}});
  CHECK_THAT(run.all(), !Catch::Contains("ya29.") && !Catch::Contains("PRIVATE KEY"));
}

TEST_CASE("a view is read through a query job like a table") {
  BigQueryFixture f;
  auto view = orders_table(1, 3);
  view.type = "VIEW";
  f.fake->add_table("sales", "v_orders", view);
  f.write_connection({stream_selection("sales", "v_orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->query_requests().at(0).at("query") == "SELECT * FROM `my-proj`.`sales`.`v_orders`");
  CHECK(f.rows("SELECT id, amount FROM sales__v_orders ORDER BY id") == Rows{{"1", "1.50"}, {"2", "2.50"}, {"3", "3.50"}});
}

TEST_CASE("a job that is not complete at first is polled with getQueryResults until it is") {
  BigQueryFixture f;
  f.fake->add_table("sales", "orders", orders_table(1, 5));
  f.fake->set_not_ready_polls(3);  // jobs.query and two getQueryResults say jobComplete=false
  f.write_connection({stream_selection("sales", "orders", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->result_calls() == 3);  // two not ready, the third returns the rows
  CHECK(f.rows("SELECT count(*), sum(id) FROM sales__orders") == Rows{{"5", "15"}});
}

TEST_CASE("hostile table and column names are quoted on the wire and normalised in the target") {
  BigQueryFixture f;
  FakeTable table;
  table.fields = {field("select", "INTEGER"), field("Amount (USD)", "NUMERIC"), field("x`); DROP TABLE t; --", "STRING")};
  table.rows = {row({cell("1"), cell("9.99"), cell("a")})};
  f.fake->add_table("sales", "order lines; DROP TABLE orders --", table);
  f.write_connection({stream_selection("sales", "order lines; DROP TABLE orders --", "incremental_append", "select")});
  // The column with a backtick cannot be a cursor, but it is read as data.
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.fake->query_requests().at(0).at("query") ==
        "SELECT * FROM `my-proj`.`sales`.`order lines; DROP TABLE orders --` ORDER BY `select`");
  CHECK(f.rows("SELECT \"select\", amount_usd, x_drop_table_t FROM sales__order_lines_drop_table_orders") ==
        Rows{{"1", "9.99", "a"}});

  // A table whose name holds a backtick is refused before any query runs.
  FakeTable odd = orders_table(1, 1);
  f.fake->add_table("sales", "bad`name", odd);
  f.write_connection({stream_selection("sales", "bad`name", "full_refresh_overwrite")});
  auto refused = f.sync();
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("cannot quote table name \"bad`name\""));
  CHECK(f.fake->query_requests().size() == 1);
}

TEST_CASE("an INT64 cursor is saved and sent as an INT64 parameter, exactly") {
  BigQueryFixture f;
  auto table = orders_table(1, 3);
  table.rows.push_back(order_row(9007199254740993, kMay1Micros, "0.01", "new"));  // 2^53 + 1: not a double
  f.fake->add_table("sales", "orders", table);
  f.write_connection({stream_selection("sales", "orders", "incremental_append_dedup", "id", "id")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"id","cursor":"9007199254740993","primary_key":["id"],"key":["9007199254740993"],"cursor_type":"INT64"})"}});
  REQUIRE(f.sync().exit_code == 0);
  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 2);
  CHECK(queries[1].at("queryParameters") == json::parse(R"([
      {"name":"cursor","parameterType":{"type":"INT64"},"parameterValue":{"value":"9007199254740993"}},
      {"name":"key_1","parameterType":{"type":"INT64"},"parameterValue":{"value":"9007199254740993"}}])"));
  CHECK(f.rows("SELECT id FROM sales__orders ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}, {"9007199254740993"}});
}

TEST_CASE("a BYTES cursor orders by bytes: runs read each row once though base64 text orders them otherwise") {
  // Byte order 0x00 < 0x7f < 0xf8 < 0xff < 0xff00; their base64 text orders
  // "+A==" < "/w==" < "/wA=" < "AA==" < "fw==".
  BigQueryFixture f;
  FakeTable table;
  table.fields = {field("id", "INTEGER", "REQUIRED"), field("tag", "BYTES")};
  table.rows = {row({cell("4"), cell("/w==")}), row({cell("1"), cell("AA==")}), row({cell("3"), cell("+A==")}),
                row({cell("5"), cell("/wA=")}), row({cell("2"), cell("fw==")})};
  f.fake->add_table("sales", "blobs", table);
  f.write_connection({stream_selection("sales", "blobs", "incremental_append", "tag", "id")}, {{"page_size", 2}});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT state FROM _sluice_state") ==
        Rows{{R"({"cursor_field":"tag","cursor":"/wA=","primary_key":["id"],"key":["5"],"cursor_type":"BYTES"})"}});

  // 0xff01 sorts after every row read; 0x80 before the checkpoint, so a
  // keyset read rightly skips it (the cursor must grow with every write).
  table.rows.push_back(row({cell("6"), cell("/wE=")}));
  table.rows.push_back(row({cell("7"), cell("gA==")}));
  f.fake->add_table("sales", "blobs", table);
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  auto queries = f.fake->query_requests();
  REQUIRE(queries.size() == 2);
  CHECK(queries[1].at("queryParameters") == json::parse(R"([
      {"name":"cursor","parameterType":{"type":"BYTES"},"parameterValue":{"value":"/wA="}},
      {"name":"key_1","parameterType":{"type":"INT64"},"parameterValue":{"value":"5"}}])"));
  CHECK(f.rows("SELECT id, tag, count(*) FROM sales__blobs GROUP BY id, tag ORDER BY id") ==
        Rows{{"1", "AA==", "1"}, {"2", "fw==", "1"}, {"3", "+A==", "1"}, {"4", "/w==", "1"}, {"5", "/wA=", "1"},
             {"6", "/wE=", "1"}});
}
