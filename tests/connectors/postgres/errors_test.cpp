// Every failure is one clear line with its kind, and none commits a part:
// a wrong password, a missing privilege, TLS the server cannot give, a table
// that is gone, a connection lost in the middle of a read, and a cancel,
// which reaches the server.
#include "pg_source_fixture.hpp"

#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <libpq-fe.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace pg_source_test;

namespace {

// A blocker view: reading row 500 waits on advisory lock 7, which the test
// holds, so a read is stopped mid-table at a point the test can see.
void add_blocked_view(sluice::test::TargetDb& source) {
  source.exec("CREATE TABLE items (id int PRIMARY KEY, name text);"
              "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;"
              "CREATE FUNCTION hold_at(n int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
              "IF n = 500 THEN PERFORM pg_advisory_lock_shared(7); PERFORM pg_advisory_unlock_shared(7); END IF; "
              "RETURN true; END $$;"
              "CREATE VIEW slow_items AS SELECT * FROM items WHERE hold_at(id)");
}

// A libpq connection of the test's own to the source database.
class Admin {
 public:
  explicit Admin(const std::string& url) : conn_(PQconnectdb(url.c_str())) {}
  ~Admin() { PQfinish(conn_); }
  std::string value(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::string out = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    return out;
  }
  // Waits until `sql` answers `expected` (an observable server state), at most 30 s.
  bool wait_for(const std::string& sql, const std::string& expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (value(sql) == expected) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // between polls of the server's state only
    }
    return false;
  }

 private:
  PGconn* conn_;
};

const char* kWaitingReader =
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice' AND wait_event_type = 'Lock' "
    "AND wait_event = 'advisory' AND datname = current_database()";  // tests run in parallel on one server

}  // namespace

TEST_CASE("a wrong password fails check and sync in one auth line that never shows the password") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE t (id int)");
  f.write_connection({}, {{"url", f.url_as("sluice", "not-the-password")}});
  auto check = f.sluice({"check", f.connection_path()});
  INFO(check.all());
  CHECK(check.exit_code != 0);
  CHECK_THAT(check.all(), Catch::Contains("password authentication failed for user \"sluice\""));
  CHECK_THAT(check.all(), Catch::Contains("[auth]"));
  CHECK_THAT(check.all(), !Catch::Contains("not-the-password"));
}

TEST_CASE("a role without SELECT on a table fails that stream with permission denied, nothing written") {
  PgSourceFixture f;
  const std::string role = "reader_" + std::to_string(::getpid());
  admin_exec("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'");
  f.source->exec("CREATE TABLE secret (id int PRIMARY KEY); INSERT INTO secret VALUES (1);"
                 "CREATE TABLE open (id int PRIMARY KEY); INSERT INTO open VALUES (1);"
                 "GRANT SELECT ON open TO " + role);
  f.write_connection({selection("public", "secret", "full_refresh_overwrite"),
                      selection("public", "open", "full_refresh_overwrite")},
                     {{"url", f.url_as(role, "reader-pw")}});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.all(), Catch::Contains("permission denied for table secret (SQLSTATE 42501)"));
  CHECK(f.rows("SELECT count(*) FROM public__open") == Rows{{"1"}});
  CHECK_FALSE(sluice::test::sqlite_has_table(f.db, "public__secret"));
  f.source.reset();
  admin_exec("DROP ROLE IF EXISTS " + role);
}

TEST_CASE("sslmode require against a server without TLS fails in one config line") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE t (id int)");
  f.write_connection({}, {{"sslmode", "require"}});
  auto check = f.sluice({"check", f.connection_path()});
  INFO(check.all());
  CHECK(check.exit_code != 0);
  CHECK_THAT(check.all(), Catch::Contains("server does not support SSL, but SSL was required"));
  CHECK_THAT(check.all(), Catch::Contains("[config]"));
}

TEST_CASE("a selected table that is gone fails the sync in one line naming the tables there are") {
  PgSourceFixture f;
  f.source->exec("CREATE TABLE gone (id int); CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)");
  f.write_connection({selection("public", "gone", "full_refresh_overwrite"),
                      selection("public", "kept", "full_refresh_overwrite")});
  f.source->exec("DROP TABLE gone");
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 2);
  CHECK(run.err == "error: streams: no stream named gone in the catalog (available: kept)\n");
}

TEST_CASE("a connection lost in the middle of a read fails the stream as transient and keeps the old table") {
  PgSourceFixture f;
  add_blocked_view(*f.source);
  f.write_connection({selection("public", "slow_items", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);  // the previous, complete copy
  f.source->exec("DELETE FROM items WHERE id > 900");
  Admin admin(f.source->url());
  REQUIRE(admin.value("SELECT pg_advisory_lock(7)::text").empty());
  std::thread killer([&] {
    if (admin.wait_for(kWaitingReader, "1")) {
      admin.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sluice' "
                  "AND datname = current_database()");
    }
  });
  auto run = f.sync();
  killer.join();
  admin.value("SELECT pg_advisory_unlock(7)");
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.all(), Catch::Contains("terminating connection due to administrator command"));
  CHECK_THAT(run.all(), Catch::Contains("[transient]"));
  CHECK(f.rows("SELECT count(*) FROM public__slow_items") == Rows{{"1000"}});
}

TEST_CASE("a cancelled sync cancels its statement on the server (PQcancel) and exits 130") {
  PgSourceFixture f;
  add_blocked_view(*f.source);
  f.write_connection({selection("public", "slow_items", "full_refresh_overwrite")});
  Admin admin(f.source->url());
  REQUIRE(admin.value("SELECT pg_advisory_lock(7)::text").empty());
  sluice::test::ProcessOptions options;
  bool was_waiting = false;
  options.while_running = [&](int pid) {
    was_waiting = admin.wait_for(kWaitingReader, "1");
    ::kill(pid, SIGTERM);
  };
  auto run = f.sluice({"sync", f.connection_path()}, options);
  INFO(run.all());
  CHECK(was_waiting);
  CHECK(run.exit_code == 130);
  // Its statement no longer waits on the server, though the test still holds the lock.
  CHECK(admin.wait_for(kWaitingReader, "0"));
  admin.value("SELECT pg_advisory_unlock(7)");
  CHECK_FALSE(sluice::test::sqlite_has_table(f.db, "public__slow_items"));
}

TEST_CASE("a read takes no lock that blocks writers: rows are written while a read is in progress") {
  PgSourceFixture f;
  add_blocked_view(*f.source);
  f.write_connection({selection("public", "slow_items", "full_refresh_overwrite")});
  Admin admin(f.source->url());
  REQUIRE(admin.value("SELECT pg_advisory_lock(7)::text").empty());
  bool wrote = false;
  std::thread writer([&] {
    if (admin.wait_for(kWaitingReader, "1")) {
      // Inside the reader's snapshot window: an insert, an update and a delete all go through at once...
      wrote = admin.value("WITH a AS (INSERT INTO items VALUES (5000, 'new') RETURNING 1), "
                          "b AS (UPDATE items SET name = 'changed' WHERE id = 1 RETURNING 1), "
                          "c AS (DELETE FROM items WHERE id = 999 RETURNING 1) "
                          "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c)") == "3";
    }
    admin.value("SELECT pg_advisory_unlock(7)");
  });
  auto run = f.sync();
  writer.join();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(wrote);
  // ...and none of them is half-visible to the read: it sees the table as of its snapshot.
  CHECK(f.rows("SELECT count(*), max(id), min(name) FROM public__slow_items") == Rows{{"1000", "1000", "item 1"}});
  CHECK(f.rows("SELECT count(*) FROM public__slow_items WHERE id = 999") == Rows{{"1"}});
}

TEST_CASE("writes made while parallel ranges are being read are invisible to every range: one snapshot for all connections") {
  PgSourceFixture f;
  const std::string role = "ranges_" + std::to_string(::getpid());
  admin_exec("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'");
  // Each reading connection waits (on advisory lock 7) at the first row it reads, through a row-level
  // security policy that applies to the non-superuser reader: all three are then inside their first range.
  // No primary key: CTID ranges, whose planning reads no row (a key's min, max and count would wait
  // on the lock before any range starts).
  f.source->exec("CREATE TABLE events (id bigint NOT NULL, account text NOT NULL);"
                 "INSERT INTO events SELECT g, 'acct-' || g FROM generate_series(1, 20000) g; ANALYZE events;"
                 "CREATE FUNCTION hold_first() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
                 "IF current_setting('sluice_test.held', true) IS DISTINCT FROM 'yes' THEN "
                 "PERFORM set_config('sluice_test.held', 'yes', false); PERFORM pg_advisory_lock_shared(7); "
                 "PERFORM pg_advisory_unlock_shared(7); END IF; RETURN true; END $$;"
                 "ALTER TABLE events ENABLE ROW LEVEL SECURITY; ALTER TABLE events FORCE ROW LEVEL SECURITY;"
                 "CREATE POLICY all_rows ON events FOR SELECT USING (hold_first());"
                 "GRANT SELECT ON events TO " + role);
  f.write_connection({selection("public", "events", "full_refresh_overwrite")},
                     {{"url", f.url_as(role, "reader-pw")}, {"chunk_rows", 2000}, {"parallelism", 3}});
  Admin admin(f.source->url());
  REQUIRE(admin.value("SELECT pg_advisory_lock(7)::text").empty());
  bool wrote = false;
  std::thread writer([&] {
    if (admin.wait_for(kWaitingReader, "3")) {
      // Ranges 4 to 10 are not started yet: their rows change now, and three more come.
      wrote = admin.value("WITH a AS (INSERT INTO events SELECT g, 'new' FROM generate_series(20001, 20003) g RETURNING 1), "
                          "b AS (UPDATE events SET account = 'changed' WHERE id > 15000 RETURNING 1), "
                          "c AS (DELETE FROM events WHERE id BETWEEN 10001 AND 10100 RETURNING 1) "
                          "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c)") ==
              "5103";
    }
    admin.value("SELECT pg_advisory_unlock(7)");
  });
  auto run = f.sync();
  writer.join();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(wrote);
  CHECK_THAT(run.all(), Catch::Contains("on 3 connection(s)"));
  CHECK(f.rows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM public__events") ==
        Rows{{"20000", "20000", "1", "20000"}});
  CHECK(f.rows("SELECT count(*) FROM public__events WHERE account = 'acct-' || id") == Rows{{"20000"}});
  f.source.reset();
  admin_exec("DROP ROLE IF EXISTS " + role);
}
