// Connection failures on the network targets: a server that is down, a
// wrong password or a missing permission give one clear line (password
// masked) and exit code 1; a server that stops in the middle of a sync
// leaves the target at its last checkpoint and the next run resumes.
#include "target/private_server.hpp"
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <thread>

using namespace sluice::test;

namespace {

// The error output of a failed run: exactly one line, without `password`.
void check_one_clear_line(const ProcessResult& run, const std::string& password, const std::string& expected) {
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(run.all().find(password) == std::string::npos);
  CHECK_THAT(run.err, Catch::Contains(expected));
  std::string error_lines;
  size_t count = 0;
  for (size_t at = run.err.find("error:"); at != std::string::npos; at = run.err.find("error:", at + 1)) ++count;
  CHECK(count == 1);
  auto error_at = run.err.find("error:");
  REQUIRE(error_at != std::string::npos);
  auto line_end = run.err.find('\n', error_at);
  CHECK(run.err.find_first_not_of("\n", line_end) == std::string::npos);  // nothing after it
}

}  // namespace

TEMPLATE_TEST_CASE("check reaches the target, creates and drops a table there, and leaves nothing behind", "[target]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 2))});
  auto check = f.sluice({"check", f.dir.file("conn.json")});
  INFO(check.all());
  REQUIRE(check.exit_code == 0);
  CHECK_THAT(check.out, Catch::StartsWith("ok: conn.json: source: ") &&
                            Catch::Contains("\nok: conn.json: target: ") &&
                            Catch::Contains("is reachable and accepts new tables"));
  CHECK(f.db->tables().empty());
}

TEMPLATE_TEST_CASE("check says a target that is down is down, on its own line after the source's, exit 1", "[target]",
                   Postgres, Mariadb) {
  TargetFixture f(TestType::engine);
  auto server = parse_server_url(f.db->url());
  server.port = 1;
  json::object connection{{"source", {{"plugin", "scripted"}, {"config", {{"streams", json::array{}}}}}},
                          {"target", server.with_database("sluice")}};
  f.dir.write("conn.json", json::serialize(connection));
  auto check = f.sluice({"check", f.dir.file("conn.json")});
  check_one_clear_line(check, server.password, "error: target: cannot connect to ");
  CHECK_THAT(check.out, Catch::StartsWith("ok: conn.json: source: "));
}

TEMPLATE_TEST_CASE("a target that is down gives one clear line and exit code 1", "[target]", Postgres, Mariadb) {
  TargetFixture f(TestType::engine);
  auto server = parse_server_url(f.db->url());
  server.port = 1;  // nothing listens on port 1
  json::object connection{{"source", {{"plugin", "scripted"}, {"config", {{"streams", json::array{}}}}}},
                          {"target", server.with_database("sluice")}};
  f.dir.write("conn.json", json::serialize(connection));
  auto run = f.sync();
  check_one_clear_line(run, server.password, "cannot connect to " + server.scheme + "://" + server.user +
                                                 ":********@127.0.0.1:1/sluice");
}

TEMPLATE_TEST_CASE("a refused password gives one clear line, the password masked everywhere", "[target]", Postgres,
                   Mariadb) {
  TargetFixture f(TestType::engine);
  auto server = parse_server_url(f.db->url());
  server.password = "Wrong-Pa55word";
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 2))});
  json::object connection{{"source", {{"plugin", "scripted"}, {"config", {{"streams", json::array{}}}}}},
                          {"target", server.with_database(parse_server_url(f.db->url()).database)}};
  f.dir.write("conn.json", json::serialize(connection));
  auto run = f.sync();
  check_one_clear_line(run, "Wrong-Pa55word", ":********@");
  CHECK_THAT(run.err, Catch::Contains("password authentication failed") || Catch::Contains("Access denied"));
}

TEMPLATE_TEST_CASE("a user without the permission to create tables gets one clear line", "[target]", Postgres,
                   Mariadb) {
  TargetFixture f(TestType::engine);
  auto server = parse_server_url(f.db->url());
  const std::string user = "reader_" + server.database;
  const std::string password = "Reader-Pa55";
  if (TestType::engine == Engine::postgres) {
    // PostgreSQL 15 grants CREATE on schema public to nobody but its owner.
    f.db->exec("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
  } else {
    f.db->exec("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
    f.db->exec("GRANT SELECT ON \"" + server.database + "\".* TO '" + user + "'@'127.0.0.1'");
  }
  server.user = user;
  server.password = password;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 2))});
  json::object connection = json::parse(read_file(f.dir.file("conn.json"))).as_object();
  connection["target"] = server.with_database(server.database);
  f.dir.write("conn.json", json::serialize(connection));
  auto run = f.sync();
  check_one_clear_line(run, password, "denied");
  // `check` finds it first: the source line is ok, the target line is not.
  auto check = f.sluice({"check", f.dir.file("conn.json")});
  check_one_clear_line(check, password, "error: target: cannot create a table");
  CHECK_THAT(check.out, Catch::StartsWith("ok: conn.json: source: "));
  if (TestType::engine == Engine::postgres) f.db->exec("DROP OWNED BY " + user + "; DROP ROLE " + user);
  else f.db->exec("DROP USER '" + user + "'@'127.0.0.1'");
}

TEMPLATE_TEST_CASE("a server stopped during a sync leaves the last checkpoint, and the next run resumes", "[target]",
                   Postgres, Mariadb) {
  PrivateServer server(TestType::engine);
  TargetFixture f(TestType::engine, server.url());
  auto records = numbered_records(1, 40);
  auto slow = scripted_stream("items", numbered_properties(), records);
  slow["delay_ms"] = 100;
  f.write_scripted({slow}, {mode("items", "incremental_append")});

  ProcessResult during;
  std::thread sync([&] { during = f.sync(); });
  auto started = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (f.db->tables().size() == 1 && f.count("items") >= 8) break;
  }
  server.run("stop");
  sync.join();
  INFO(during.all());
  CHECK(during.exit_code == 1);
  CHECK_THAT(during.err, Catch::Contains("stream items failed") || Catch::Contains("lost the connection"));
  CHECK(during.all().find(parse_server_url(server.url()).password) == std::string::npos);

  server.run("start");
  f.db->reconnect();
  long committed = f.count("items");
  CHECK(committed >= 8);
  CHECK(committed < 40);
  CHECK(committed % 2 == 0);  // whole checkpointed batches only
  CHECK(f.value("SELECT state FROM _sluice_state") == "{\"offset\":" + std::to_string(committed) + "}");

  f.write_scripted({scripted_stream("items", numbered_properties(), records)}, {mode("items", "incremental_append")});
  auto rerun = f.sync();
  INFO(rerun.all());
  REQUIRE(rerun.exit_code == 0);
  CHECK(f.count("items") == 40);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "40");
}
