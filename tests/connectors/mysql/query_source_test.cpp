// Query in place on MariaDB, in the test process against the suite's
// server: the connector's run_query called directly (the second guard: what
// the source itself refuses even if a statement got past the host's check),
// with a capture of the columns and rows it emits and a host that cancels
// when the test says.
#include "mysql_source_fixture.hpp"

#include "catalog.hpp"
#include "query.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "table_reader.hpp"

#include "sql_common/query_checks.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace mysql_source_test;
using sql_query_test::QueryCapture;
using sql_query_test::request;
using sql_query_test::without;

namespace {

mysql_source::Settings settings_of(const MysqlSourceFixture& f) {
  return mysql_source::read_settings(sluice::Config(json::object{{"host", f.server.host},
                                                                  {"port", f.server.port},
                                                                  {"database", f.server.database},
                                                                  {"user", f.server.user},
                                                                  {"password", f.server.password}}));
}

std::string run(const MysqlSourceFixture& f, QueryCapture& capture, const sluice::QueryRequest& req) {
  const mysql_source::Settings settings = settings_of(f);
  return sql_query_test::outcome(capture, [&](const sluice::Logger& log, sluice::QueryContext& ctx) {
    mysql_source::run_query(settings, log, req, ctx);
  });
}

}  // namespace

TEST_CASE("a MariaDB query gives every type discover maps the schema and the value a sync of it emits") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE everything (id INT, ti TINYINT, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT, "
          "bu BIGINT UNSIGNED, y YEAR, f FLOAT, d DOUBLE, dc DECIMAL(20,4), c CHAR(5), vc VARCHAR(40), tx TEXT, "
          "en ENUM('a','b'), st SET('x','y'), dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL, j JSON, "
          "bits BIT(10), bin BINARY(3), vb VARBINARY(10), bl BLOB, pt POINT)",
          "SET time_zone = '+00:00'",
          "INSERT INTO everything VALUES (1, -128, -32768, 8388607, -2147483648, -9223372036854775808, "
          "18446744073709551615, 2024, 1.1, 0.1, 12345678.9012, 'ab', 'quote '' and \\\\ backslash \xC3\xA9', "
          "'long text', 'b', 'x,y', '2024-02-29', '-25:00:00.5', '2024-03-01 12:34:56.789012', "
          "'2024-03-01 12:34:56.5', '{\"a\": [1, 2]}', b'1000000001', 'a\\0b', x'00ff10', x'cafe', POINT(1, 2))",
          "INSERT INTO everything (id) VALUES (2)"});

  QueryCapture read;
  {
    const mysql_source::Settings settings = settings_of(f);
    sluice::Logger log(&read.host);
    mysql_source::Session session(settings, log);
    const mysql_source::Table table = mysql_source::find_table(session, settings, "everything");
    sluice::ConfiguredStream stream;
    stream.ns = f.database();
    stream.name = "everything";
    sluice::ReadContext ctx(&read.host, stream);
    mysql_source::read_full_refresh(session, settings, log, table, ctx);
    ctx.flush();
    const sluice::Stream discovered = mysql_source::to_stream(table);
    for (const auto& [name, schema] : discovered.json_schema.at("properties").as_object()) {
      read.columns.push_back(json::object{{"name", name}, {"schema", schema}});
    }
  }
  REQUIRE(read.records.size() == 2);

  QueryCapture query;
  REQUIRE(run(f, query, request("SELECT * FROM everything ORDER BY id DESC")) == "");
  REQUIRE(query.columns.size() == 26);
  REQUIRE(query.rows.size() == 2);
  CHECK(query.rows[0][0] == json::value(2));
  for (size_t c = 0; c < query.columns.size(); ++c) {
    const std::string name(query.columns[c].at("name").as_string());
    INFO(name);
    CHECK(read.columns.at(c).at("name") == query.columns[c].at("name"));
    // The result's metadata names the type without COLUMN_TYPE's widths.
    CHECK(without(query.schema(c), "x-mysql-type") == without(read.columns.at(c).at("schema").as_object(), "x-mysql-type"));
    CHECK(query.rows[1][c] == read.records[0].at(name));
    CHECK(query.rows[0][c] == read.records[1].at(name));
  }
  CHECK(query.lines[1] ==
        R"([1,-128,-32768,8388607,-2147483648,-9223372036854775808,"18446744073709551615",2024,1.1,0.1,)"
        R"("12345678.9012","ab","quote ' and \\ backslash é","long text","b","x,y","2024-02-29","-25:00:00.500000",)"
        R"("2024-03-01T12:34:56.789012","2024-03-01T12:34:56.500000Z",{"a":[1,2]},513,"YQBi","AP8Q","yv4=",)"
        R"("AAAAAAEBAAAAAAAAAAAA8D8AAAAAAAAAQA=="])");
}

TEST_CASE("MariaDB binds each parameter by its type and never pastes it: SQL in a value stays text and the server sees ?") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1), (2)"});
  const std::string evil = "x'); DROP TABLE t; --";
  QueryCapture capture;
  REQUIRE(run(f, capture,
              request("SELECT ? = 'x''); DROP TABLE t; --' AS same, (SELECT INFO FROM information_schema.PROCESSLIST "
                      "WHERE ID = CONNECTION_ID()) AS seen, ? + 1 AS next, ? * 2 AS twice, NOT ? AS flipped, "
                      "? + INTERVAL 1 DAY AS tomorrow, ? AS instant, (SELECT COUNT(*) FROM t WHERE id = ?) AS found",
                      {{"who", "string", json::value(evil)},
                       {"id", "integer", json::value(1)},
                       {"amount", "number", json::value(0.1)},
                       {"flag", "boolean", json::value(true)},
                       {"day", "date", json::value("2024-02-28")},
                       {"at", "timestamp", json::value("2024-03-01T12:00:00+02:00")},
                       {"id", "integer", json::value(1)}})) == "");
  REQUIRE(capture.rows.size() == 1);
  const json::array& row = capture.rows[0];
  INFO(json::serialize(capture.columns));
  INFO(json::serialize(row));
  CHECK(row[0] == json::value(1));
  const std::string seen(row[1].as_string());
  // The statement as written, its own literal included; the value is not in it.
  CHECK_THAT(seen, Catch::StartsWith("SELECT ? = 'x''); DROP TABLE t; --' AS same") && Catch::Contains("? AS instant"));
  CHECK(row[2] == json::value(2));
  CHECK(row[3] == json::value(0.2));
  CHECK(row[4] == json::value(0));
  CHECK(row[5] == json::value("2024-02-29"));
  CHECK(row[6] == json::value("2024-03-01T10:00:00"));  // a DATETIME with no fraction digits
  CHECK(row[7] == json::value(1));
  CHECK(f.source->value("SELECT COUNT(*) FROM t") == "2");
}

TEST_CASE("a MySQL query's session reads strings as the host's lexer did whatever the server's sql_mode") {
  MysqlSourceFixture f;
  const mysql_source::Settings settings = settings_of(f);
  QueryCapture capture;
  sluice::Logger log(&capture.host);
  mysql_source::Session session(settings, log);
  session.exec("SET SESSION sql_mode = 'ANSI,NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES'", "setting a hostile mode");
  const auto setup = mysql_source::query_setup_sql(mysql_source::Flavor::mariadb, 5);
  REQUIRE(setup.size() == 3);
  session.exec(setup[0], "pinning sql_mode");
  std::vector<std::string> seen;
  session.stream_text("SELECT @@SESSION.sql_mode, \"a\\\"b\"", "reading the mode", [&](const mysql_source::Row& row) {
    for (const auto& cell : row) seen.emplace_back(cell ? *cell : "NULL");
  });
  REQUIRE(seen.size() == 2);
  CHECK(seen[0] == "REAL_AS_FLOAT,PIPES_AS_CONCAT,IGNORE_SPACE,STRICT_ALL_TABLES");
  CHECK(seen[1] == "a\"b");  // a string with an escaped quote, not a name
  CHECK(setup[1] == "SET SESSION max_statement_time = 5");
  CHECK(mysql_source::query_setup_sql(mysql_source::Flavor::mysql, 5)[1] == "SET SESSION max_execution_time = 5000");
  CHECK(setup[2] == "START TRANSACTION READ ONLY");
}

TEST_CASE("a write hidden in a stored function is refused by MariaDB's read-only transaction") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1), (2)",
          "CREATE FUNCTION bump() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO t VALUES (99); RETURN 1; END"});
  QueryCapture capture;
  CHECK(run(f, capture, request("SELECT bump()")) ==
        "[config] running the query: Cannot execute statement in a READ ONLY transaction (error 1792)");
  CHECK(f.source->value("SELECT COUNT(*) FROM t") == "2");
}

TEST_CASE("a MariaDB query past its timeout is stopped by the server's max_statement_time") {
  MysqlSourceFixture f;
  QueryCapture capture;
  const auto start = std::chrono::steady_clock::now();
  CHECK(run(f, capture, request("SELECT SLEEP(20) /* timeout-test */", {}, 1)) ==
        "[transient] running the query: Query execution was interrupted (max_statement_time exceeded) (error 1969)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The error comes as the server ends the statement; its thread may still be listed a moment.
  CHECK(sql_query_test::eventually([&] { return f.running("timeout-test") == "0"; }));
}

TEST_CASE("a MariaDB result of two million rows streams in bounded memory") {
  MysqlSourceFixture f;
  sql_query_test::check_bounded_memory([&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
                                       "SELECT seq, CONCAT('row ', seq) AS label FROM seq_1_to_2000000");
}

TEST_CASE("a MariaDB query the host stops after its first rows is killed at the server") {
  MysqlSourceFixture f;
  sql_query_test::check_cancel_after_first_rows(
      f, [&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
      "SELECT seq, IF(seq = 5000, SLEEP(20), 0) /* first-rows-test */ FROM seq_1_to_6000", "first-rows-test");
}

TEST_CASE("a MariaDB statement running when the host cancels is killed at the server") {
  MysqlSourceFixture f;
  sql_query_test::check_host_cancel(
      f, [&](QueryCapture& capture, const sluice::QueryRequest& req) { return run(f, capture, req); },
      "SELECT SLEEP(20) /* host-cancel-test */", "host-cancel-test");
}
