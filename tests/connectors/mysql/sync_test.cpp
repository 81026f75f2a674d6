// MySQL / MariaDB through the real CLI from the real MariaDB server: every
// type lands exactly, zero dates are reported, a table read in parallel key
// ranges lands whole, hostile names land as themselves, incremental reads
// resume exactly, and failures are one clear line.
#include "mysql_source_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <unistd.h>

using namespace mysql_source_test;

TEST_CASE("a full refresh lands every MySQL type exactly: BIGINT, DECIMAL digits, DATETIME(6), TIMESTAMP(6) in UTC, JSON, BIT, BLOB") {
  MysqlSourceFixture f;
  f.exec({"SET SESSION time_zone = '+02:00'",
          "CREATE TABLE all_types (id BIGINT PRIMARY KEY, small TINYINT, big BIGINT UNSIGNED, price DECIMAL(38,18), "
          "ratio DOUBLE, label VARCHAR(50), day DATE, at DATETIME(6), stamp TIMESTAMP(6) NULL, clock TIME(3), yr YEAR, "
          "doc JSON, flags BIT(10), raw BLOB, kind ENUM('a','b'))",
          "INSERT INTO all_types VALUES (1, -128, 18446744073709551615, 12345678901234567890.123456789012345678, 1.1, "
          "'caf\xc3\xa9 \"q\"', '2024-05-01', '2024-05-01 09:51:12.345678', '2024-05-01 11:51:12.345678', "
          "'12:34:56.789', 2024, '{\"b\": [1, 2.5], \"a\": null}', b'1000000001', x'48656C6C6F', 'b')",
          "INSERT INTO all_types (id) VALUES (2)"});
  f.write_connection({selection(f.database(), "all_types", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string t = f.table("all_types");
  CHECK(f.rows("SELECT small, big, price, ratio, label, day, at, stamp, clock, yr FROM " + t + " ORDER BY id") ==
        Rows{{"-128", "18446744073709551615", "12345678901234567890.123456789012345678", "1.1", "caf\xc3\xa9 \"q\"",
              "2024-05-01", "2024-05-01T09:51:12.345678", "2024-05-01T09:51:12.345678Z", "12:34:56.789", "2024"},
             {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"}});
  CHECK(f.rows("SELECT doc, flags, raw, kind FROM " + t + " WHERE id = 1") ==
        Rows{{R"({"b":[1,2.5],"a":null})", "513", "SGVsbG8=", "b"}});
}

TEST_CASE("zero dates are kept as their text and named in one warning per column") {
  MysqlSourceFixture f;
  f.exec({"SET SESSION sql_mode = 'ANSI_QUOTES'",
          "CREATE TABLE legacy (id INT PRIMARY KEY, day DATE, at DATETIME)",
          "INSERT INTO legacy VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '2024-01-02', '2024-01-02 03:04:05')"});
  f.write_connection({selection(f.database(), "legacy", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.all(), Catch::Contains("column day of legacy holds zero dates ('0000-00-00'), which name no day"));
  CHECK_THAT(run.all(), Catch::Contains("column at of legacy holds zero dates ('0000-00-00 00:00:00')"));
  CHECK(f.rows("SELECT id, day, at, _sluice_uncast IS NOT NULL FROM " + f.table("legacy") + " ORDER BY id") ==
        Rows{{"1", "NULL", "0000-00-00 00:00:00", "1"}, {"2", "2024-01-02", "2024-01-02T03:04:05", "0"}});
}

TEST_CASE("a full refresh in parallel key ranges of aligned snapshots lands every row once") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE events (id BIGINT PRIMARY KEY, account VARCHAR(20) NOT NULL, amount DECIMAL(12,2))",
          "INSERT INTO events SELECT seq, CONCAT('acct-', seq % 97), seq * 0.01 FROM seq_1_to_20000"});
  f.write_connection({selection(f.database(), "events", "full_refresh_overwrite")},
                     {{"chunk_rows", 2000}, {"parallelism", 3}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  // About 20,000 rows / 2,000 per range (the count is InnoDB's estimate).
  CHECK_THAT(run.all(), Catch::Matches("(.|\n)*in (9|10|11|12) range\\(s\\) on 3 connection\\(s\\)(.|\n)*"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id) FROM " + f.table("events")) ==
        Rows{{"20000", "20000", "200010000", "1", "20000"}});
}

TEST_CASE("MySQL key ranges are planned from the engine's row estimate: no COUNT(*) reads the table first, and every row lands once") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE estimated (id BIGINT PRIMARY KEY, units INT NOT NULL)",
          "INSERT INTO estimated SELECT seq, seq % 7 FROM seq_1_to_10000"});
  f.write_connection({selection(f.database(), "estimated", "full_refresh_overwrite")}, {{"chunk_rows", 1000}});
  // The server's general log, kept in a table while the sync runs: every
  // statement the plugin sent is there, with its parameters filled in.
  f.exec({"SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = 1"});
  auto run = f.sync();
  f.exec({"SET GLOBAL general_log = 0"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  auto logged = [&](const std::string& like) {
    return f.source->value("SELECT COUNT(*) FROM mysql.general_log WHERE argument LIKE '%" + f.database() +
                           "%' AND argument LIKE '" + like + "'");
  };
  CHECK(logged("%TABLE_ROWS%") != "0");  // the log saw the planning
  CHECK(logged("%MIN(%") != "0");
  CHECK(logged("%COUNT(*)%") == "0");
  f.exec({"TRUNCATE TABLE mysql.general_log"});
  CHECK_THAT(run.all(), Catch::Matches("(.|\n)*in (8|9|10|11|12) range\\(s\\)(.|\n)*"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id), sum(units) FROM " + f.table("estimated")) ==
        Rows{{"10000", "10000", "50005000", "29998"}});
}

TEST_CASE("hostile table and column names are quoted, never pasted, and land as themselves") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE \"Order `Items`; --\" (\"select\" INT PRIMARY KEY, \"a`b c\" TEXT)",
          "INSERT INTO \"Order `Items`; --\" VALUES (1, 'x'), (2, 'y')"});
  f.write_connection();
  const auto streams = f.discover_streams();
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].at("name") == "Order `Items`; --");
  CHECK(streams[0].at("primary_key") == json::parse(R"([["select"]])"));
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT \"select\", a_b_c FROM " + f.table("order_items") + " ORDER BY 1") == Rows{{"1", "x"}, {"2", "y"}});
}

TEST_CASE("MySQL incremental: equal cursor values across a checkpoint are neither skipped nor read twice, and values are bound") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, note VARCHAR(50))",
          "INSERT INTO orders SELECT seq, '2024-05-01 10:00:00.000001', 'first' FROM seq_1_to_5",
          "INSERT INTO orders VALUES (6, '2024-05-01 09:00:00', 'a''); DROP TABLE orders; --')"});
  f.write_connection({selection(f.database(), "orders", "incremental_append", "updated_at", "id")}, {{"chunk_rows", 2}});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id) FROM " + f.table("orders")) == Rows{{"6", "6"}});
  f.exec({"INSERT INTO orders SELECT seq, '2024-05-01 10:00:00.000001', 'second' FROM seq_7_to_9",
          "INSERT INTO orders VALUES (10, '2024-05-01 10:00:00.000002', 'later')"});
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM " + f.table("orders")) == Rows{{"10", "10", "55"}});
  CHECK(f.source->value("SELECT count(*) FROM orders") == "10");
}

TEST_CASE("MySQL: a parallel full refresh killed (SIGKILL) after a range's resume point reads only the unfinished ranges next time and swaps once") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE events (id BIGINT PRIMARY KEY, account VARCHAR(20) NOT NULL, amount DECIMAL(12,2))",
          "INSERT INTO events SELECT seq, CONCAT('acct-', seq % 97), seq * 0.01 FROM seq_1_to_30000"});
  f.write_connection({selection(f.database(), "events", "full_refresh_overwrite")},
                     {{"chunk_rows", 2000}, {"parallelism", 3}});
  sluice::test::ProcessOptions crash;
  crash.env["SLUICE_FAULT_POINT"] = "checkpoint-committed:3";
  auto killed = f.sluice({"sync", f.connection_path()}, crash);
  INFO(killed.all());
  REQUIRE(killed.signal == 9);
  // No live table yet; the staging table holds what the third resume point covers.
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE name = '" + f.table("events") + "'") == Rows{{"0"}});
  const auto staging = f.rows("SELECT name FROM sqlite_master WHERE instr(name, '_sluice_tmp_') > 0");
  REQUIRE(staging.size() == 1);
  const long first_run = std::stol(f.rows("SELECT count(*) FROM \"" + staging[0][0] + "\"")[0][0]);
  // The kept resume point names exactly the keys not yet committed: 3 ranges
  // are done, of about 15 (30,000 rows by InnoDB's estimate / 2,000).
  const std::string planned = " range(s) on 3 connection(s)";
  const auto at = killed.all().find(planned);
  REQUIRE(at != std::string::npos);
  const size_t ranges = std::stoul(killed.all().substr(killed.all().rfind(' ', at - 1) + 1));
  CHECK(ranges >= 13);
  CHECK(ranges <= 18);
  const auto state = json::parse(f.rows("SELECT state FROM _sluice_state")[0][0]).as_object();
  const auto& todo = state.at("todo").as_array();
  CHECK(todo.size() <= ranges - 3);
  long left = 0;
  for (const auto& range : todo) {
    const auto& bounds = range.as_array();
    const long low = bounds[0].is_null() ? 1 : std::max<long>(bounds[0].as_int64(), 1);
    const long high = bounds[1].is_null() ? 30001 : std::min<long>(bounds[1].as_int64(), 30001);
    left += std::max<long>(high - low, 0);
  }
  CHECK(first_run == 30000 - left);
  CHECK(first_run < 30000);

  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.all(), Catch::Contains("resuming the read of") && Catch::Contains("unfinished range(s)"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM " + f.table("events")) ==
        Rows{{"30000", "30000", "450015000"}});
  // The resumed run wrote only what the killed one had not committed.
  const auto per_run = f.rows("SELECT count(*) FROM " + f.table("events") + " GROUP BY _sluice_sync_id");
  REQUIRE(per_run.size() == 2);
  CHECK((std::stol(per_run[0][0]) == first_run || std::stol(per_run[1][0]) == first_run));
  CHECK(f.rows("SELECT count(*) FROM sqlite_master WHERE instr(name, '_sluice_tmp_') > 0") == Rows{{"0"}});
}

TEST_CASE("MySQL: a sync killed (SIGKILL) after a checkpoint resumes there with no duplicate and no gap, and a BIGINT cursor past 2^53 is exact") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE usage_rows (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, units INT)",
          "INSERT INTO usage_rows SELECT seq, 9007199254740993 + seq, seq % 7 FROM seq_1_to_5000"});
  f.write_connection({selection(f.database(), "usage_rows", "incremental_append_dedup", "seq", "id")},
                     {{"chunk_rows", 1000}});
  sluice::test::ProcessOptions crash;
  crash.env["SLUICE_FAULT_POINT"] = "checkpoint-committed:2";
  auto killed = f.sluice({"sync", f.connection_path()}, crash);
  INFO(killed.all());
  REQUIRE(killed.signal == 9);
  CHECK(f.rows("SELECT count(*) FROM " + f.table("usage_rows")) == Rows{{"2000"}});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM " + f.table("usage_rows")) ==
        Rows{{"5000", "5000", "12502500"}});
}

TEST_CASE("MySQL: a wrong password is one auth line without the password, and a missing grant fails the stream as auth") {
  MysqlSourceFixture f;
  f.exec({"CREATE TABLE t (id INT PRIMARY KEY)"});
  f.write_connection({}, {{"password", "not-the-password"}});
  auto check = f.sluice({"check", f.connection_path()});
  INFO(check.all());
  CHECK(check.exit_code != 0);
  CHECK_THAT(check.all(), Catch::Contains("Access denied for user 'sluice'@'127.0.0.1' (using password: YES) (error 1045)"));
  CHECK_THAT(check.all(), Catch::Contains("[auth]"));
  CHECK_THAT(check.all(), !Catch::Contains("not-the-password"));

  // INSERT but not SELECT: the table is listed, reading it is denied.
  const std::string user = "reader" + std::to_string(::getpid());
  const std::string account = "'" + user + "'@'127.0.0.1'";
  f.exec({"CREATE TABLE open_t (id INT PRIMARY KEY)", "INSERT INTO open_t VALUES (1)",
          "CREATE TABLE secret (id INT PRIMARY KEY)", "DROP USER IF EXISTS " + account,
          "CREATE USER " + account + " IDENTIFIED BY 'reader-pw'",
          "GRANT SELECT ON \"" + f.database() + "\".open_t TO " + account,
          "GRANT INSERT ON \"" + f.database() + "\".secret TO " + account});
  f.write_connection({selection(f.database(), "secret", "full_refresh_overwrite"),
                      selection(f.database(), "open_t", "full_refresh_overwrite")},
                     {{"user", user}, {"password", "reader-pw"}});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.all(), Catch::Contains("SELECT command denied to user '" + user + "'@'127.0.0.1' for table"));
  CHECK_THAT(run.all(), Catch::Contains("(error 1142) [auth]"));
  CHECK(f.rows("SELECT count(*) FROM " + f.table("open_t")) == Rows{{"1"}});
  CHECK_FALSE(sluice::test::sqlite_has_table(f.db, f.table("secret")));
  f.exec({"DROP USER " + account});
}

TEST_CASE("MySQL: ssl_mode required against a server without TLS fails in one config line") {
  MysqlSourceFixture f;
  f.write_connection({}, {{"ssl_mode", "required"}});
  auto check = f.sluice({"check", f.connection_path()});
  INFO(check.all());
  CHECK(check.exit_code != 0);
  CHECK_THAT(check.all(), Catch::Contains("cannot connect to 127.0.0.1:"));
  CHECK_THAT(check.all(), Catch::Contains("TLS is required (ssl_mode), but the server did not use it (error 2026) [config]"));
}

TEST_CASE("MySQL: without RELOAD to align snapshots, a parallel read falls back to one connection and says so") {
  MysqlSourceFixture f;
  const std::string user = "plain" + std::to_string(::getpid());
  const std::string account = "'" + user + "'@'127.0.0.1'";
  f.exec({"CREATE TABLE events (id BIGINT PRIMARY KEY, note VARCHAR(20))",
          "INSERT INTO events SELECT seq, 'n' FROM seq_1_to_3000", "DROP USER IF EXISTS " + account,
          "CREATE USER " + account + " IDENTIFIED BY 'plain-pw'",
          "GRANT SELECT ON \"" + f.database() + "\".* TO " + account});
  f.write_connection({selection(f.database(), "events", "full_refresh_overwrite")},
                     {{"user", user}, {"password", "plain-pw"}, {"chunk_rows", 1000}, {"parallelism", 3}});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.all(), Catch::Contains("RELOAD"));
  CHECK_THAT(run.all(), Catch::Contains("; reading with one connection"));
  // About 3,000 rows / 1,000 per range (InnoDB's estimate), on one connection.
  CHECK_THAT(run.all(), Catch::Matches("(.|\n)*in (2|3|4) range\\(s\\) on 1 connection\\(s\\)(.|\n)*"));
  CHECK(f.rows("SELECT count(*), sum(id) FROM " + f.table("events")) == Rows{{"3000", "4501500"}});
  f.exec({"DROP USER " + account});
}
