// Full refresh through the real CLI from the real PostgreSQL server: every
// type lands exactly, a table read in parallel ranges of one snapshot lands
// whole, hostile names land as themselves, and PostgreSQL works as a target
// too.
#include "pg_source_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace pg_source_test;

namespace {

void add_all_types(sluice::test::TargetDb& source) {
  source.exec(R"SQL(
    CREATE TYPE mood AS ENUM ('sad', 'happy');
    CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE > 0);
    CREATE TABLE all_types (
      id bigint PRIMARY KEY, small smallint, big bigint, exact numeric, amount positive_amount, cash money,
      ratio double precision, flag boolean, label text, at timestamptz, naive timestamp, day date, clock time,
      span interval, uid uuid, doc jsonb, raw_json json, ints int[], names text[], blob bytea, feeling mood, addr inet);
    INSERT INTO all_types VALUES
      (1, -32768, 9223372036854775807, 12345678901234567890.123456789012345678, 12.50, 1234.56, 1.1, true,
       E'caf\u00e9 "quoted"\ttab\nline', '2024-05-01 11:51:12.345678+02', '2024-05-01 09:51:12.345678',
       '2024-05-01', '12:34:56.789', '1 year 2 mons 3 days 04:05:06', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
       '{"b": [1, 2.50, 12345678901234567890.5], "a": {"x": null}}', E'{ "keep" :\n "as is" }', '{1,2,NULL}', E'{"a b","c\\"d"}',
       '\x48656c6c6f', 'happy', '192.168.0.1/24'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL);
  )SQL");
}

}  // namespace

TEST_CASE("a full refresh lands every PostgreSQL type exactly: int8, numeric digits, timestamptz in UTC, JSON, arrays, bytea, enums, domains, money") {
  PgSourceFixture f;
  add_all_types(*f.source);
  f.write_connection({selection("public", "all_types", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT typeof(id), small, big, exact, amount, cash, ratio, flag, label FROM public__all_types ORDER BY id") ==
        Rows{{"integer", "-32768", "9223372036854775807", "12345678901234567890.123456789012345678", "12.50", "1234.56",
              "1.1", "1", "caf\xc3\xa9 \"quoted\"\ttab\nline"},
             {"integer", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}});
  CHECK(f.rows("SELECT at, naive, day, clock, span, uid FROM public__all_types WHERE id = 1") ==
        Rows{{"2024-05-01T09:51:12.345678Z", "2024-05-01T09:51:12.345678", "2024-05-01", "12:34:56.789",
              "P1Y2M3DT4H5M6S", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}});
  // The host writes JSON numbers a double holds in their shortest form (2.50 as 2.5), and keeps every digit of
  // the others.
  CHECK(f.rows("SELECT doc, raw_json, ints, names, blob, feeling, addr FROM public__all_types WHERE id = 1") ==
        Rows{{R"({"a":{"x":null},"b":[1,2.5,12345678901234567890.5]})", R"({"keep":"as is"})", "[1,2,null]", R"(["a b","c\"d"])",
              "SGVsbG8=", "happy", "192.168.0.1/24"}});
  CHECK(f.rows("SELECT count(*) FROM public__all_types WHERE _sluice_uncast IS NOT NULL OR _sluice_extra IS NOT NULL") ==
        Rows{{"0"}});
}

TEST_CASE("a full refresh reads a table without an integer key in parallel CTID ranges of one exported snapshot and lands every row once") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE events (id bigint NOT NULL, account text NOT NULL, amount numeric(12,2));"
                 "INSERT INTO events SELECT g, 'acct-' || (g % 97), g * 0.01 FROM generate_series(1, 20000) g;"
                 "ANALYZE events");
  f.write_connection({selection("public", "events", "full_refresh_overwrite")},
                     {{"chunk_rows", 2000}, {"parallelism", 3}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  // About 20,000 rows / 2,000 per range, on three connections sharing the snapshot.
  CHECK_THAT(run.all(), Catch::Matches("(.|\n)*reading public\\.events in (9|10|11|12) range\\(s\\) on 3 connection\\(s\\)(.|\n)*"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id), sum(CAST(amount AS REAL) * 100) FROM public__events") ==
        Rows{{"20000", "20000", "200010000", "1", "20000", "200010000.0"}});
}

TEST_CASE("integer key ranges are planned from the table's statistics, not a count(*) scan, and still land every row once") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE meters (id bigint PRIMARY KEY, units int NOT NULL);"
                 "INSERT INTO meters SELECT g, g % 7 FROM generate_series(1, 10000) g;"
                 "ANALYZE meters;"
                 // The statistics say five times the rows: a count(*) would say 10,000 (10 ranges).
                 "UPDATE pg_class SET reltuples = 50000 WHERE oid = 'public.meters'::regclass");
  f.write_connection({selection("public", "meters", "full_refresh_overwrite")}, {{"chunk_rows", 1000}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.all(), Catch::Contains("reading public.meters in 50 range(s) on 4 connection(s)"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), sum(units) FROM public__meters") ==
        Rows{{"10000", "10000", "50005000", "29998"}});
}

TEST_CASE("a parallel full refresh killed (SIGKILL) after a range's resume point reads only the unfinished ranges next time and swaps once") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE events (id bigint PRIMARY KEY, account text NOT NULL, amount numeric(12,2));"
                 "INSERT INTO events SELECT g, 'acct-' || (g % 97), g * 0.01 FROM generate_series(1, 60000) g;"
                 "ANALYZE events");
  f.write_connection({selection("public", "events", "full_refresh_overwrite")},
                     {{"chunk_rows", 2000}, {"parallelism", 3}});
  REQUIRE(f.sync().exit_code == 0);
  const Rows before = f.rows("SELECT count(*), sum(CAST(amount AS REAL) * 100) FROM public__events");
  REQUIRE(before == Rows{{"60000", "1800030000.0"}});
  f.source->exec("UPDATE events SET amount = amount + 1");

  // Killed by the observable event itself: right after its fourth range's
  // resume point committed, with other ranges part-way.
  sluice::test::ProcessOptions crash;
  crash.env["SLUICE_FAULT_POINT"] = "checkpoint-committed:4";
  auto killed = f.sluice({"sync", f.connection_path()}, crash);
  INFO(killed.all());
  REQUIRE(killed.signal == 9);
  CHECK(f.rows("SELECT count(*), sum(CAST(amount AS REAL) * 100) FROM public__events") == before);  // not swapped
  const auto staging = f.rows("SELECT name FROM sqlite_master WHERE instr(name, '_sluice_tmp_') > 0");
  REQUIRE(staging.size() == 1);
  const long first_run = std::stol(f.rows("SELECT count(*) FROM \"" + staging[0][0] + "\"")[0][0]);
  // The kept resume point names exactly the keys not yet committed: 4 ranges are done.
  const auto state = json::parse(f.rows("SELECT state FROM _sluice_state")[0][0]).as_object();
  const auto& todo = state.at("todo").as_array();
  CHECK(todo.size() <= 26);
  long left = 0;
  for (const auto& range : todo) {
    const auto& bounds = range.as_array();
    const long low = bounds[0].is_null() ? 1 : std::max<long>(bounds[0].as_int64(), 1);
    const long high = bounds[1].is_null() ? 60001 : std::min<long>(bounds[1].as_int64(), 60001);
    left += std::max<long>(high - low, 0);
  }
  CHECK(first_run == 60000 - left);
  CHECK(first_run < 60000);

  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.all(), Catch::Contains("resuming the read of public.events in") &&
                                Catch::Contains("unfinished range(s) on 3 connection(s)"));
  // Exactly the source rows, each once; the rows the killed run committed
  // were not read again: the resumed run wrote only the rest.
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), sum(CAST(amount AS REAL) * 100) FROM public__events") ==
        Rows{{"60000", "60000", "1800030000", "1806030000.0"}});
  auto per_run = f.rows("SELECT count(*) FROM public__events GROUP BY _sluice_sync_id");
  REQUIRE(per_run.size() == 2);
  CHECK(std::stol(per_run[0][0]) + std::stol(per_run[1][0]) == 60000);
  CHECK((std::stol(per_run[0][0]) == first_run || std::stol(per_run[1][0]) == first_run));
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE instr(name, '_sluice_tmp_') > 0") == Rows{{"0"}});
}

TEST_CASE("a view is read whole, and a partitioned table in ranges of its integer key") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE usage (id int PRIMARY KEY, at date NOT NULL) PARTITION BY RANGE (id);"
                 "CREATE TABLE usage_low PARTITION OF usage FOR VALUES FROM (1) TO (101);"
                 "CREATE TABLE usage_high PARTITION OF usage FOR VALUES FROM (101) TO (1001);"
                 "INSERT INTO usage SELECT g, DATE '2024-06-01' + g FROM generate_series(1, 400) g;"
                 "CREATE TABLE plans (id bigint PRIMARY KEY, name text);"
                 "INSERT INTO plans SELECT g, 'plan ' || g FROM generate_series(1, 50) g;"
                 "CREATE VIEW big_plans AS SELECT * FROM plans WHERE id > 10");
  f.write_connection({selection("public", "usage", "full_refresh_overwrite"),
                      selection("public", "big_plans", "full_refresh_overwrite")},
                     {{"chunk_rows", 10}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT count(*), sum(id) FROM public__usage") == Rows{{"400", "80200"}});
  CHECK(f.rows("SELECT count(*), min(id) FROM public__big_plans") == Rows{{"40", "11"}});
  CHECK_THAT(run.all(), Catch::Contains("reading public.big_plans in 1 range(s) on 1 connection(s)"));
  // 400 keys in 1..400, 10 rows a range: 40 ranges of the key, read on the default 4 connections.
  CHECK_THAT(run.all(), Catch::Contains("reading public.usage in 40 range(s) on 4 connection(s)"));
  // The partitions are read through their parent only.
  const auto streams = f.discover_streams();
  std::vector<std::string> names;
  for (const auto& stream : streams) names.emplace_back(stream.at("name").as_string());
  CHECK(names == std::vector<std::string>{"big_plans", "plans", "usage"});
}

TEST_CASE("hostile schema, table and column names are quoted, never pasted, and land as themselves") {
  PgSourceFixture f;
  f.source->exec(R"SQL(CREATE SCHEMA "we""ird; --"; CREATE TABLE "we""ird; --"."Order ""Items""" ("select" int PRIMARY KEY, "a""b c" text);
                      INSERT INTO "we""ird; --"."Order ""Items""" VALUES (1, 'x'), (2, E'y\\z'))SQL");
  f.write_connection();
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("namespace") == "we\"ird; --");
  CHECK(streams[0].at("name") == "Order \"Items\"");
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT \"select\", a_b_c FROM we_ird__order_items ORDER BY 1") == Rows{{"1", "x"}, {"2", "y\\z"}});
}

TEST_CASE("a full refresh from PostgreSQL into PostgreSQL keeps the exact types") {
  PgSourceFixture f;
  auto target = sluice::test::TargetDb::create(sluice::test::Engine::postgres, f.dir.path().string());
  f.source->exec("CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(30,10), at timestamptz, doc jsonb);"
                 "INSERT INTO ledger VALUES (1, 12345678901234567890.0123456789, '2024-05-01 11:51:12.345678+02', "
                 "'{\"seats\": 5}')");
  f.write_connection({selection("public", "ledger", "full_refresh_overwrite")}, {}, target->url());
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(target->rows("SELECT id, amount, at AT TIME ZONE 'UTC', doc->>'seats' FROM public.ledger") ==
        Rows{{"1", "12345678901234567890.0123456789", "2024-05-01 09:51:12.345678", "5"}});
}
