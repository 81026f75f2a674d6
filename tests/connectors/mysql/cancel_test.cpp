// A read stopped in the middle: cancelled by the host (its statement is
// stopped on the server with KILL QUERY from a second connection, exit 130),
// or its connection killed on the server (the stream fails as transient and
// the old table stays).
#include "mysql_source_fixture.hpp"

#include <catch2/catch.hpp>

#include <mysql.h>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace mysql_source_test;

namespace {

// A connection of the test's own that holds a user lock.
class LockHolder {
 public:
  explicit LockHolder(const sluice::test::ServerUrl& url) : conn_(mysql_init(nullptr)) {
    mysql_real_connect(conn_, url.host.c_str(), url.user.c_str(), url.password.c_str(), url.database.c_str(),
                       static_cast<unsigned>(url.port), nullptr, 0);
  }
  ~LockHolder() { mysql_close(conn_); }
  std::string value(const std::string& sql) {
    if (mysql_query(conn_, sql.c_str())) return "error: " + std::string(mysql_error(conn_));
    MYSQL_RES* result = mysql_store_result(conn_);
    std::string out;
    if (result) {
      if (MYSQL_ROW row = mysql_fetch_row(result)) out = row[0] ? row[0] : "NULL";
      mysql_free_result(result);
    }
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
  MYSQL* conn_;
};

// items, and a view that waits on user lock 'sluice-test-hold' at row 500.
void add_blocked_view(MysqlSourceFixture& f) {
  f.exec({"CREATE TABLE items (id INT PRIMARY KEY, name TEXT)",
          "INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_1000",
          "CREATE VIEW slow_items AS SELECT * FROM items WHERE id <> 500 OR GET_LOCK('sluice-test-hold', 60) IS NOT NULL"});
}

std::string waiting_reader(const MysqlSourceFixture& f) {
  return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock' AND DB = '" + f.database() + "'";
}

}  // namespace

TEST_CASE("a cancelled MySQL sync kills its statement on the server (KILL QUERY) and exits 130") {
  MysqlSourceFixture f;
  add_blocked_view(f);
  f.write_connection({selection(f.database(), "slow_items", "full_refresh_overwrite")});
  LockHolder holder(f.server);
  REQUIRE(holder.value("SELECT GET_LOCK('sluice-test-hold', 0)") == "1");
  const std::string waiting = waiting_reader(f);
  bool was_waiting = false;
  sluice::test::ProcessOptions options;
  options.while_running = [&](int pid) {
    was_waiting = holder.wait_for(waiting, "1");
    ::kill(pid, SIGTERM);
  };
  auto run = f.sluice({"sync", f.connection_path()}, options);
  INFO(run.all());
  CHECK(was_waiting);
  CHECK(run.exit_code == 130);
  // No statement waits on the lock any more, though the test still holds it.
  CHECK(holder.wait_for(waiting, "0"));
  CHECK_FALSE(sluice::test::sqlite_has_table(f.db, f.table("slow_items")));
}

TEST_CASE("a MySQL connection killed in the middle of a read fails the stream as transient and keeps the old table") {
  MysqlSourceFixture f;
  add_blocked_view(f);
  f.write_connection({selection(f.database(), "slow_items", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);  // the previous, complete copy
  f.exec({"DELETE FROM items WHERE id > 900"});
  LockHolder holder(f.server);
  REQUIRE(holder.value("SELECT GET_LOCK('sluice-test-hold', 0)") == "1");
  std::thread killer([&] {
    if (holder.wait_for(waiting_reader(f), "1")) {
      const std::string id = holder.value("SELECT ID FROM information_schema.PROCESSLIST WHERE STATE = 'User lock' AND DB = '" +
                                          f.database() + "'");
      holder.value("KILL " + id);
    }
  });
  auto run = f.sync();
  killer.join();
  holder.value("SELECT RELEASE_LOCK('sluice-test-hold')");
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.all(), Catch::Contains("[transient]"));
  CHECK_THAT(run.all(), Catch::Contains("reading " + f.database() + ".slow_items (range 1 of 1): "));
  CHECK(f.rows("SELECT count(*) FROM " + f.table("slow_items")) == Rows{{"1000"}});
}
