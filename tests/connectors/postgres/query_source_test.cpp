// Query in place on PostgreSQL, in the test process against the suite's
// server: the connector's run_query called directly (the second guard: what
// the source itself refuses even if a statement got past the host's check),
// with a capture of the columns and rows it emits and a host that cancels
// when the test says.
#include "pg_source_fixture.hpp"

#include "catalog.hpp"
#include "query.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "table_reader.hpp"

#include "sql_common/query_checks.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace pg_source_test;
using sql_query_test::QueryCapture;
using sql_query_test::request;
using sql_query_test::without;

namespace {

postgres::Settings settings_of(const PgSourceFixture& f) {
  return postgres::read_settings(sluice::Config(json::object{{"url", f.source->url()}}));
}

std::string run(const PgSourceFixture& f, QueryCapture& capture, const sluice::QueryRequest& req) {
  const postgres::Settings settings = settings_of(f);
  return sql_query_test::outcome(capture, [&](const sluice::Logger& log, sluice::QueryContext& ctx) {
    postgres::run_query(settings, log, req, ctx);
  });
}

}  // namespace

TEST_CASE("a PostgreSQL query gives every type discover maps the schema and the value a sync of it emits") {
  PgSourceFixture f;
  f.source->exec("CREATE TYPE mood AS ENUM ('sad', 'happy')");
  f.source->exec("CREATE DOMAIN positive AS integer CHECK (VALUE > 0)");
  f.source->exec(
      "CREATE TABLE everything (id int, i2 smallint, i8 bigint, f4 real, f8 double precision, nan float8, b boolean, "
      "n numeric(20,4), m money, t text, vc varchar(10), u uuid, d date, tm time, tz timetz, ts timestamptz, "
      "tn timestamp, iv interval, j json, jb jsonb, ai int[], at text[], by bytea, e mood, p positive, ip inet)");
  f.source->exec(
      "INSERT INTO everything VALUES (1, -32768, 9223372036854775807, 1.5, 0.1, 'NaN', true, 12345678.9012, 19.99, "
      "'quote '' and \\ backslash \xC3\xA9', 'abc', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', "
      "'23:59:59.123456', '10:00+02', '2024-03-01 12:34:56.789012+01', '2024-03-01 12:34:56', '1 day 2 hours', "
      "'{\"a\": [1, 2]}', '{\"b\": null}', '{1,NULL,3}', '{\"x y\",z}', '\\x00ff10', 'happy', 7, '10.0.0.1/32')");
  f.source->exec("INSERT INTO everything (id) VALUES (2)");

  QueryCapture read;
  {
    const postgres::Settings settings = settings_of(f);
    sluice::Logger log(&read.host);
    postgres::Session session(settings, log);
    const postgres::Table table = postgres::find_table(session, settings, "public", "everything");
    sluice::ConfiguredStream stream;
    stream.ns = "public";
    stream.name = "everything";
    sluice::ReadContext ctx(&read.host, stream);
    postgres::read_full_refresh(session, settings, log, table, ctx);
    ctx.flush();
    const sluice::Stream discovered = postgres::to_stream(table);
    for (const auto& [name, schema] : discovered.json_schema.at("properties").as_object()) {
      read.columns.push_back(json::object{{"name", name}, {"schema", schema}});
    }
  }
  REQUIRE(read.records.size() == 2);

  QueryCapture query;
  // Arrays and money read through the wrapper (to_json, ::numeric), which keeps
  // the statement's order and takes its trailing ';'.
  REQUIRE(run(f, query, request("SELECT * FROM everything ORDER BY id DESC;")) == "");
  REQUIRE(query.columns.size() == 26);
  REQUIRE(query.rows.size() == 2);
  CHECK(query.rows[0][0] == json::value(2));
  for (size_t c = 0; c < query.columns.size(); ++c) {
    const std::string name(query.columns[c].at("name").as_string());
    INFO(name);
    const json::object& discovered = read.columns.at(c).at("schema").as_object();
    CHECK(read.columns.at(c).at("name") == query.columns[c].at("name"));
    if (name == "p") {  // the result names the domain's base type
      CHECK(without(query.schema(c), "x-postgres-type") == without(discovered, "x-postgres-type"));
      CHECK(query.columns[c].at("source_type") == "integer");
    } else {
      CHECK(query.schema(c) == discovered);
      CHECK(query.columns[c].at("source_type") == discovered.at("x-postgres-type"));
    }
    CHECK(query.rows[1][c] == read.records[0].at(name));
    CHECK(query.rows[0][c] == read.records[1].at(name));
  }
  // The values themselves, as a sync lands them.
  CHECK(query.lines[1] ==
        R"([1,-32768,9223372036854775807,1.5,0.1,"NaN",true,"12345678.9012","19.99","quote ' and \\ backslash é",)"
        R"("abc","a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","2024-02-29","23:59:59.123456","10:00:00+02",)"
        R"("2024-03-01T11:34:56.789012Z","2024-03-01T12:34:56","P1DT2H",{"a":[1,2]},{"b":null},[1,null,3],)"
        R"(["x y","z"],"AP8Q","happy",7,"10.0.0.1"])");
}

TEST_CASE("PostgreSQL binds each parameter by its type and never pastes it: SQL in a value stays text and the server sees $1") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE t (id int)");
  f.source->exec("INSERT INTO t VALUES (1), (2)");
  const std::string evil = "x'); DROP TABLE t; --";
  QueryCapture capture;
  REQUIRE(run(f, capture,
              request("SELECT $1 = 'x''); DROP TABLE t; --' AS same, (SELECT query FROM pg_stat_activity WHERE pid = "
                      "pg_backend_pid()) AS seen, $2 + 1 AS next, $3 * 2 AS twice, NOT $4 AS flipped, $5 + 1 AS "
                      "tomorrow, $6 AS instant, (SELECT count(*) FROM t WHERE id = $2) AS found",
                      {{"who", "string", json::value(evil)},
                       {"id", "integer", json::value(1)},
                       {"amount", "number", json::value(0.1)},
                       {"flag", "boolean", json::value(true)},
                       {"day", "date", json::value("2024-02-28")},
                       {"at", "timestamp", json::value("2024-03-01T12:00:00+02:00")}})) == "");
  REQUIRE(capture.rows.size() == 1);
  const json::array& row = capture.rows[0];
  CHECK(row[0] == json::value(true));
  const std::string seen(row[1].as_string());
  // The statement as written, its own literal included; the value is not in it.
  CHECK_THAT(seen, Catch::StartsWith("SELECT $1 = 'x''); DROP TABLE t; --' AS same") && Catch::Contains("$6 AS instant"));
  CHECK(row[2] == json::value(2));
  CHECK(row[3] == json::value("0.2"));  // numeric: exact digits
  CHECK(row[4] == json::value(false));
  CHECK(row[5] == json::value("2024-02-29"));
  CHECK(row[6] == json::value("2024-03-01T10:00:00Z"));
  CHECK(row[7] == json::value(1));
  CHECK(f.source->value("SELECT count(*) FROM t") == "2");
}

TEST_CASE("a PostgreSQL string parameter alone in the select list is bound as text") {
  PgSourceFixture f;
  QueryCapture capture;
  REQUIRE(run(f, capture, request("SELECT $1 AS who, $1 || '!' AS shout", {{"who", "string", json::value("o'hara")}})) == "");
  REQUIRE(capture.rows.size() == 1);
  CHECK(json::serialize(capture.rows[0]) == R"(["o'hara","o'hara!"])");
  CHECK(capture.columns[0].at("source_type") == "text");
}

TEST_CASE("a PostgreSQL parameter whose value is not its type is refused naming it") {
  PgSourceFixture f;
  QueryCapture capture;
  CHECK(run(f, capture, request("SELECT $1", {{"day", "date", json::value("2024-02-30")}})) ==
        "[config] parameter day: date wants a day, YYYY-MM-DD");
  CHECK(run(f, capture, request("SELECT $1", {{"n", "integer", json::value("12")}})) ==
        "[config] parameter n: integer wants a whole number within 64 bits");
}

TEST_CASE("a write hidden in a data-modifying CTE or a function is refused by PostgreSQL's read-only transaction") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE t (id int)");
  f.source->exec("INSERT INTO t VALUES (1), (2)");
  f.source->exec("CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS 'INSERT INTO t VALUES (99) RETURNING 1'");
  QueryCapture capture;
  CHECK(run(f, capture, request("WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d")) ==
        "[config] running the query: cannot execute SELECT in a read-only transaction (SQLSTATE 25006)");
  CHECK(run(f, capture, request("SELECT bump()")) ==
        "[config] running the query: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)");
  CHECK(f.source->value("SELECT count(*) FROM t") == "2");
  CHECK(capture.rows.empty());
}

TEST_CASE("a PostgreSQL query past its timeout is stopped by the server's statement_timeout") {
  PgSourceFixture f;
  QueryCapture capture;
  const auto start = std::chrono::steady_clock::now();
  CHECK(run(f, capture, request("SELECT pg_sleep(20) /* timeout-test */", {}, 1)) ==
        "[transient] running the query: canceling statement due to statement timeout (SQLSTATE 57014)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The error comes as the server ends the statement; its thread may still be listed a moment.
  CHECK(sql_query_test::eventually([&] { return f.running("timeout-test") == "0"; }));
}

TEST_CASE("a PostgreSQL result of two million rows streams in bounded memory") {
  PgSourceFixture f;
  sql_query_test::check_bounded_memory([&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
                                       "SELECT g, 'row ' || g AS label FROM generate_series(1, 2000000) AS g");
}

TEST_CASE("a PostgreSQL query the host stops after its first rows is cancelled at the server") {
  PgSourceFixture f;
  sql_query_test::check_cancel_after_first_rows(
      f, [&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
      "SELECT g, CASE WHEN g = 5000 THEN pg_sleep(20) END /* first-rows-test */ FROM generate_series(1, 6000) AS g",
      "first-rows-test");
}

TEST_CASE("a PostgreSQL statement running when the host cancels is cancelled at the server") {
  PgSourceFixture f;
  sql_query_test::check_host_cancel(
      f, [&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
      "SELECT pg_sleep(20) /* host-cancel-test */", "host-cancel-test");
}
