// Incremental reads by a cursor column and the primary key against the real
// server: equal cursor values across a checkpoint are neither skipped nor
// read twice, values are bound (never pasted), and a sync killed after a
// checkpoint resumes there with no duplicate and no gap.
#include "pg_source_fixture.hpp"

#include <catch2/catch.hpp>

using namespace pg_source_test;

TEST_CASE("rows sharing the checkpoint's cursor value are neither skipped nor read twice, across runs and checkpoints") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, note text);"
                 "INSERT INTO orders SELECT g, '2024-05-01 10:00:00.000001+00', 'first' FROM generate_series(1, 5) g;"
                 "INSERT INTO orders VALUES (6, '2024-05-01 09:00:00+00', 'older')");
  // A checkpoint every 2 rows: the runs of equal cursors straddle checkpoints.
  f.write_connection({selection("public", "orders", "incremental_append", "updated_at", "id")}, {{"chunk_rows", 2}});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM public__orders") == Rows{{"6", "6"}});
  auto state = f.sluice({"state", f.connection_path(), "--json"});
  // The checkpoint holds the cursor's exact server text and the key of the last row read.
  CHECK(json::parse(state.out).at("state").at(0).at("state") ==
        json::parse(R"J({"cursor_field": "updated_at", "cursor": "2024-05-01 10:00:00.000001+00",
                         "primary_key": ["id"], "key": ["5"]})J"));

  // Same cursor as the checkpoint, higher keys: read; a lower key at that cursor is the documented limit.
  f.source->exec("INSERT INTO orders SELECT g, '2024-05-01 10:00:00.000001+00', 'second' FROM generate_series(7, 9) g;"
                 "INSERT INTO orders VALUES (10, '2024-05-01 10:00:00.000002+00', 'later')");
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM public__orders") == Rows{{"10", "10", "55"}});
  CHECK(f.rows("SELECT note FROM public__orders WHERE id = 10") == Rows{{"later"}});
}

TEST_CASE("a cursor value that looks like SQL is bound, not pasted") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE notes (id int PRIMARY KEY, tag text NOT NULL);"
                 "INSERT INTO notes VALUES (1, 'a''); DROP TABLE notes; --'), (2, 'b')");
  f.write_connection({selection("public", "notes", "incremental_append", "tag", "id")});
  REQUIRE(f.sync().exit_code == 0);
  f.source->exec("INSERT INTO notes VALUES (3, 'c')");
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT id FROM public__notes ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}});
  CHECK(f.source->value("SELECT count(*) FROM notes") == "3");
}

TEST_CASE("a sync killed (SIGKILL) right after a checkpoint resumes there: no duplicate, no gap") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE usage (id bigint PRIMARY KEY, at timestamptz NOT NULL, units int);"
                 "INSERT INTO usage SELECT g, TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * interval '1 second', g % 7 "
                 "FROM generate_series(1, 5000) g");
  f.write_connection({selection("public", "usage", "incremental_append_dedup", "at", "id")}, {{"chunk_rows", 1000}});
  sluice::test::ProcessOptions crash;
  crash.env["SLUICE_FAULT_POINT"] = "checkpoint-committed:2";
  auto killed = f.sluice({"sync", f.connection_path()}, crash);
  INFO(killed.all());
  REQUIRE(killed.signal == 9);
  CHECK(f.rows("SELECT count(*), max(id) FROM public__usage") == Rows{{"2000", "2000"}});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM public__usage") == Rows{{"5000", "5000", "12502500"}});
}

TEST_CASE("a cursor that cannot order rows, or is not a column, is refused before reading") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE docs (id int PRIMARY KEY, body jsonb)");
  f.write_connection({selection("public", "docs", "incremental_append", "body", "id")});
  auto run = f.sync();
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.all(), Catch::Contains("cursor_field body has type jsonb, which cannot order rows"));
}

TEST_CASE("a table with no usable cursor is read incrementally by xmin: inserts and updates since the last read, once each with dedup") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE plans (id int PRIMARY KEY, name text);"
                 "INSERT INTO plans SELECT g, 'plan ' || g FROM generate_series(1, 100) g");
  f.write_connection({selection("public", "plans", "incremental_append_dedup", "xmin", "id")},
                     {{"xmin_tables", json::array{"public.plans"}}});
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("default_cursor_field") == json::parse(R"(["xmin"])"));
  CHECK(streams[0].at("json_schema").at("properties").at("xmin") ==
        json::parse(R"J({"type": "integer", "x-postgres-type": "xid8"})J"));
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT xmin) FROM public__plans") == Rows{{"100", "1"}});
  const std::string inserted_by = f.rows("SELECT xmin FROM public__plans LIMIT 1")[0][0];
  // Epoch 0 on a young server: the 64-bit id is the row's xmin.
  CHECK(inserted_by == f.source->value("SELECT xmin::text FROM plans WHERE id = 1"));

  f.source->exec("UPDATE plans SET name = 'renamed' WHERE id = 7; INSERT INTO plans VALUES (101, 'new')");
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  // (Rows of transactions still running on the server at the first read, in any database, are read again:
  // dedup by key keeps each once.)
  CHECK(f.rows("SELECT count(*), sum(id) FROM public__plans") == Rows{{"101", "5151"}});
  CHECK(f.rows("SELECT name FROM public__plans WHERE id IN (7, 101) ORDER BY id") == Rows{{"renamed"}, {"new"}});
}
