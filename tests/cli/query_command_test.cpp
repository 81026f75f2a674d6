// `sluice query` through the real binary, on the query_rows test plugin
// (tests/plugins/query_rows.cpp: a C++ SDK connector that answers any
// statement with generated rows and reports what it was sent in its facts).
// The connectors' own query tests (tests/connectors/*) run against their
// fakes and the real PostgreSQL and MariaDB servers.
#include "common/process.hpp"
#include "common/sanitizer.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string connection(const TempDir& dir, json::object config, const std::string& plugin = "query_rows") {
  json::object doc{{"source", {{"plugin", plugin}, {"config", std::move(config)}}}};
  return dir.write(plugin + ".json", json::serialize(doc));
}

ProcessResult query(std::vector<std::string> args, const ProcessOptions& options = {}) {
  args.insert(args.begin(), "query");
  args.push_back("--plugin-dir");
  args.push_back(SLUICE_TEST_PLUGIN_DIR);
  return run_sluice(args, options);
}

}  // namespace

TEST_CASE("query streams typed columns and rows, and the plugin receives the dialect's placeholders with typed values in bind order") {
  TempDir dir;
  const std::string conn = connection(dir, {{"rows", 5}});
  auto run = query({conn, "SELECT * FROM usage WHERE day >= :from AND units > :min AND day < :from", "--param",
                    "from:date=2026-11-01", "--param", "min:integer=10", "--format", "json"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  json::value doc = json::parse(run.out);
  CHECK(doc.at("columns").as_array().at(0) == json::parse(R"({"name":"n","schema":{"type":"integer"},"source_type":"int8"})"));
  CHECK(doc.at("row_count") == 5);
  CHECK(doc.at("rows").as_array().at(4) == json::parse(R"([5,null,"2026-11-30T00:00:00Z",false,5.5])"));
  CHECK(doc.at("truncated") == false);
  const auto& facts = doc.at("facts").as_object();
  CHECK(facts.at("sql") == "SELECT * FROM usage WHERE day >= $1 AND units > $2 AND day < $1");
  CHECK(facts.at("parameters") == json::parse(R"([{"name":"from","type":"date","value":"2026-11-01"},
                                                  {"name":"min","type":"integer","value":10}])"));
  CHECK(facts.at("timeout_seconds") == 60);
  CHECK_THAT(run.err, Catch::Contains("info: query: 5 rows, "));
}

TEST_CASE("query --request - reads the connection, the statement and its typed parameters from stdin, as sluice serve sends them") {
  ProcessOptions options;
  options.stdin_text = json::serialize(json::object{
      {"connection", {{"source", {{"plugin", "query_rows"}, {"config", {{"rows", 2}}}}}}},
      {"sql", "SELECT * FROM usage WHERE day >= :from AND units > :min"},
      {"parameters", json::array{json::object{{"name", "from"}, {"type", "date"}, {"value", "2026-11-01"}},
                                 json::object{{"name", "min"}, {"type", "integer"}, {"value", 10}}}}});
  auto run = query({"--request", "-", "--format", "json"}, options);
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  json::value doc = json::parse(run.out);
  CHECK(doc.at("row_count") == 2);
  CHECK(doc.at("facts").at("sql") == "SELECT * FROM usage WHERE day >= $1 AND units > $2");
  CHECK(doc.at("facts").at("parameters") == json::parse(R"([{"name":"from","type":"date","value":"2026-11-01"},
                                                             {"name":"min","type":"integer","value":10}])"));
}

TEST_CASE("a bad --request is one line naming what is wrong, exit 2, before the plugin runs") {
  TempDir dir;
  const json::object source{{"source", {{"plugin", "query_rows"}, {"config", json::object{}}}}};
  for (auto [request, message] : std::vector<std::pair<std::string, std::string>>{
           {"[1]", "error: <stdin>: expected a JSON object {\"connection\": {...}, \"sql\": \"...\", \"parameters\": [...]}"},
           {R"({"sql": "SELECT 1"})", "error: <stdin>: connection: required, a connection file's object"},
           {json::serialize(json::object{{"connection", source}}), "error: <stdin>: sql: required, the statement"},
           {json::serialize(json::object{{"connection", source}, {"sql", "SELECT 1"}, {"limit", 3}}),
            "error: <stdin>: limit: unknown key (connection, sql and parameters are read)"},
           {json::serialize(json::object{{"connection", source}, {"sql", "SELECT :a"},
                                         {"parameters", json::array{json::object{{"name", "a"}, {"value", 1}}}}}),
            "error: <stdin>: parameters[0]: expected {\"name\": NAME, \"type\": TYPE, \"value\": VALUE}"},
           {json::serialize(json::object{{"connection", source}, {"sql", "SELECT :a"},
                                         {"parameters", json::array{json::object{{"name", "a"}, {"type", "date"},
                                                                                 {"value", "yesterday"}}}}}),
            "error: <stdin>: parameter a: \"yesterday\" is not a date (YYYY-MM-DD)"}}) {
    ProcessOptions options;
    options.stdin_text = request;
    auto run = query({"--request", "-"}, options);
    INFO(request << "\n" << run.all());
    CHECK(run.exit_code == 2);
    CHECK(run.err == message + "\n");
    CHECK(run.out.empty());
  }
  auto both = query({connection(dir, {}), "SELECT 1", "--request", "-"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "error: query: --request holds the connection and the statement: give no CONNECTION or SQL\n");
  auto neither = query({});
  CHECK(neither.exit_code == 2);
  CHECK(neither.err == "error: query: expects CONNECTION and \"SQL\" (or --request FILE)\n");
}

TEST_CASE("a parameter whose bad value equals a secret of the connection is refused with the value masked, from --param and --request") {
  TempDir dir;
  const std::string secret = "tok-51e3-secret";
  const std::string conn = connection(dir, {{"token", secret}});
  auto from_args = query({conn, "SELECT :day", "--param", "day:date=" + secret});
  INFO(from_args.all());
  CHECK(from_args.exit_code == 2);
  CHECK(from_args.err.find(secret) == std::string::npos);
  CHECK_THAT(from_args.err, Catch::Contains("is not a date"));
  ProcessOptions options;
  options.stdin_text = json::serialize(json::object{
      {"connection", {{"source", {{"plugin", "query_rows"}, {"config", {{"token", secret}}}}}}},
      {"sql", "SELECT :day"},
      {"parameters", json::array{json::object{{"name", "day"}, {"type", "date"}, {"value", secret}}}}});
  auto from_request = query({"--request", "-"}, options);
  INFO(from_request.all());
  CHECK(from_request.exit_code == 2);
  CHECK(from_request.err.find(secret) == std::string::npos);
  CHECK_THAT(from_request.err, Catch::Contains("is not a date"));
}

TEST_CASE("a statement that is not one read-only SELECT never reaches the plugin: exit 2 with where and why") {
  TempDir dir;
  const std::string conn = connection(dir, {});
  for (auto [sql, message] : std::vector<std::pair<std::string, std::string>>{
           {"SELECT 1; DELETE FROM usage", "error: query: line 1, column 11: a second statement: a query is one statement"},
           {"WITH d AS (DELETE FROM usage RETURNING *) SELECT * FROM d",
            "error: query: line 1, column 12: DELETE: a query may only read (quote it if it is a name)"},
           {"/* SELECT */ UPDATE usage SET units = 0", "error: query: line 1, column 14: UPDATE: a query is one SELECT or WITH statement"},
           {"SELECT 'it''s' /* x", "error: query: line 1, column 16: a comment /* is never closed"}}) {
    auto run = query({conn, sql});
    INFO(sql << "\n" << run.all());
    CHECK(run.exit_code == 2);
    CHECK(run.err == message + "\n");
    CHECK(run.out.empty());
  }
  // A write hidden in a string is text, and reaches the plugin as it was.
  auto text = query({conn, "SELECT 'DELETE FROM usage; --' AS s", "--format", "json"});
  INFO(text.all());
  REQUIRE(text.exit_code == 0);
  CHECK(json::parse(text.out).at("facts").at("sql") == "SELECT 'DELETE FROM usage; --' AS s");
}

TEST_CASE("bad parameters are usage errors in one line, before the plugin runs") {
  TempDir dir;
  const std::string conn = connection(dir, {});
  auto missing = query({conn, "SELECT :day"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "error: the statement uses :day but no value was given (--param day=VALUE)\n");
  auto unused = query({conn, "SELECT 1", "--param", "day=1"});
  CHECK(unused.err == "error: parameter day is not used by the statement (it has no :name parameters)\n");
  auto typed = query({conn, "SELECT :n", "--param", "n:integer=1 OR 1=1"});
  CHECK(typed.err == "error: parameter n: \"1 OR 1=1\" is not an integer (64-bit)\n");
  CHECK_THAT(missing.err + unused.err + typed.err, !Catch::Contains("query_rows: running"));
}

TEST_CASE("a result cut by --limit-rows fails closed with exit 1, unless --allow-truncated, and the plugin cancels at the source") {
  TempDir dir;
  const std::string conn = connection(dir, {{"rows", 10000}});
  auto cut = query({conn, "SELECT 1", "--limit-rows", "3", "--format", "csv"});
  INFO(cut.all());
  CHECK(cut.exit_code == 1);
  CHECK(cut.out == "n,label,at,even,amount\r\n1,\"row 1, \"\"quoted\"\"\",2026-11-30T00:00:00Z,false,1.5\r\n"
                   "2,\"row 2, \"\"quoted\"\"\",2026-11-30T00:00:00Z,true,2.5\r\n"
                   "3,\"row 3, \"\"quoted\"\"\",2026-11-30T00:00:00Z,false,3.5\r\n");
  CHECK_THAT(cut.err, Catch::Contains("query_rows: statement q-1 cancelled at the source"));
  CHECK_THAT(cut.err, Catch::Contains("error: query: the result was cut by --limit-rows 3 after 3 rows and is "
                                      "incomplete; raise the limit, or pass --allow-truncated to accept part of it"));

  auto allowed = query({conn, "SELECT 1", "--limit-rows", "3", "--allow-truncated", "--format", "json"});
  INFO(allowed.all());
  CHECK(allowed.exit_code == 0);
  CHECK(json::parse(allowed.out).at("truncated") == true);
  CHECK(json::parse(allowed.out).at("row_count") == 3);
  CHECK_THAT(allowed.err, Catch::Contains("warning: query: the result was cut by --limit-rows 3: the output holds its first 3 rows"));

  // A result that fits its limit exactly is whole.
  const std::string ten = connection(dir, {{"rows", 10}});
  auto exact = query({ten, "SELECT 1", "--limit-rows", "10", "--format", "ndjson"});
  CHECK(exact.exit_code == 0);
  CHECK(std::count(exact.out.begin(), exact.out.end(), '\n') == 10);
}

TEST_CASE("a byte limit (--limit-bytes) stops before the rows' text passes it") {
  TempDir dir;
  const std::string conn = connection(dir, {{"rows", 100}});
  // Each of the first rows is 55 bytes of JSON: 3 fit in 170, a fourth would not.
  auto run = query({conn, "SELECT 1", "--limit-bytes", "170", "--format", "ndjson"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(std::count(run.out.begin(), run.out.end(), '\n') == 3);
  CHECK_THAT(run.err, Catch::Contains("error: query: the result was cut by --limit-bytes 170 after 3 rows"));
}

TEST_CASE("the timeout reaches the plugin, which cancels at the source when Sluice stops waiting: exit 1, one line") {
  TempDir dir;
  const std::string conn = connection(dir, {{"mode", "hang"}});
  auto run = query({conn, "SELECT pg_sleep(3600)", "--timeout", "1"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("info: query_rows: statement q-1 cancelled at the source"));
  CHECK_THAT(run.err, Catch::EndsWith("error: query_rows query: the statement ran past the timeout (1 s) and was "
                                      "cancelled at the source [transient]\n"));
}

TEST_CASE("Ctrl-C during a query cancels the statement at the source and exits 130") {
  TempDir dir;
  const std::string ready = dir.file("ready");
  const std::string conn = connection(dir, {{"mode", "hang"}, {"ready_file", ready}});
  ProcessOptions options;
  options.while_running = [&](int pid) {
    // The plugin creates the file once its statement waits at the "source";
    // a sluice that ended before that (a zombie until reaped) ends the wait,
    // and the checks below then fail on its output.
    auto ended = [pid] {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string text;
      std::getline(stat, text);
      const auto close = text.rfind(')');
      return close == std::string::npos || text.compare(close + 2, 1, "Z") == 0;
    };
    while (!std::filesystem::exists(ready) && !ended()) std::this_thread::yield();
    ::kill(pid, SIGINT);
    // The plugin removes the file once it sees the cancel. Under TSan, whose
    // runtime can lose a signal (common/sanitizer.hpp), Ctrl-C is pressed
    // again while the file is still there 2 s later; elsewhere once only: a
    // second one after the first was handled would kill sluice by SIGINT,
    // and the checks below would fail.
    for (int press = 2; kUnderThreadSanitizer && press <= 20; ++press) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (std::filesystem::exists(ready) && !ended() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!std::filesystem::exists(ready) || ended()) break;
      ::kill(pid, SIGINT);
    }
  };
  auto run = query({conn, "SELECT 1"}, options);
  INFO(run.all());
  CHECK(run.exit_code == 130);
  CHECK_THAT(run.err, Catch::Contains("info: query_rows: statement q-1 cancelled at the source"));
  CHECK_THAT(run.err, Catch::EndsWith("error: cancelled\n"));
}

TEST_CASE("the source's failure is one line with the plugin's kind, exit 1") {
  TempDir dir;
  auto run = query({connection(dir, {{"mode", "fail"}}), "SELECT * FROM missing"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::EndsWith("error: query_rows query: relation \"missing\" does not exist [config]\n"));
}

TEST_CASE("a plugin that cannot run queries is named, with where to look, exit 2") {
  TempDir dir;
  auto run = query({connection(dir, {}, "tiny"), "SELECT 1"});
  INFO(run.all());
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("plugin tiny cannot run queries (sluice plugins shows which plugins can, with "
                                      "their SQL dialect)"));
}

TEST_CASE("a result far larger than the process's data limit streams through in bounded memory") {
  TempDir dir;
  // 1,000,000 rows are ~90 MB of output; sluice runs with 32 MiB of data
  // (heap) at most, so it can only succeed by streaming. A sanitizer's
  // shadow memory cannot start under such a limit: there the run is a
  // tenth as long and unlimited (the bound is the plain build's to prove).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const std::string rows = "100000", limit = "";
#else
  const std::string rows = "1000000", limit = "prlimit --data=33554432 -- ";
#endif
  const std::string conn = connection(dir, {{"rows", std::stoll(rows)}});
  const std::string script = limit + "\"$0\" query \"$1\" 'SELECT 1' --format ndjson "
                             "--plugin-dir \"$2\" > \"$3\"; echo \"exit $?\" >&2; wc -l < \"$3\" >&2; rm -f \"$3\"";
  auto run = run_process({"/bin/bash", "-c", script, SLUICE_CLI_PATH, conn, SLUICE_TEST_PLUGIN_DIR,
                          dir.file("out.ndjson")});
  INFO(run.all());
  CHECK_THAT(run.err, Catch::Contains("info: query: " + rows + " rows,"));
  CHECK_THAT(run.err, Catch::Contains("exit 0\n" + rows + "\n"));
}

TEST_CASE("sluice plugins and spec say which plugins can query, and in which dialect") {
  auto listing = run_sluice({"plugins", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  INFO(listing.all());
  CHECK_THAT(listing.out, Catch::Contains("query_rows 1.0.0\n  abi:        1.4\n  modes:      full_refresh_overwrite\n"
                                          "  namespaces: none\n  query:      yes, postgresql dialect\n"));
  CHECK_THAT(listing.out, Catch::Contains("tiny 1.0.0\n") && Catch::Contains("  query:      no\n"));
  auto spec = run_sluice({"spec", "query_rows", "--format", "markdown", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK_THAT(spec.out, Catch::Contains("Query in place: yes, in the postgresql dialect (sluice query)\n"));
  auto json_spec = run_sluice({"spec", "tiny", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(json::parse(json_spec.out).at("query_dialect").is_null());
}
