// The query endpoint (issue 21): POST /v1/connections/{id}/query on a real
// daemon with the query_rows test plugin (tests/plugins/query_rows.cpp: it
// answers any statement with generated typed rows and echoes what it was
// sent in its facts), and the record of every query, GET /v1/queries. The
// fixture checks each answer, the NDJSON streams as the array of their
// lines, against docs/api/sluice-v1.json.
#include "host/serve/api_keys.hpp"
#include "host/serve/secret_box.hpp"
#include "common/process.hpp"
#include "serve/daemon_fixture.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <filesystem>
#include <sstream>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

struct QueryApi {
  TempDir dir;
  Daemon daemon;
  std::string admin, operator_, viewer;
  explicit QueryApi(json::object settings = {}) : daemon(dir.path(), std::move(settings)) {
    admin = daemon.create_key("admin");
    operator_ = daemon.create_key("operator");
    viewer = daemon.create_key("viewer");
    daemon.start();
  }
  // A query_rows connection with `config`; its id.
  std::string connection(const std::string& name, json::object config) {
    json::object file{{"source", {{"plugin", "query_rows"}, {"config", std::move(config)}}},
                      {"target", "sqlite://" + (dir.path() / (name + ".db")).string()}};
    auto made = daemon.post("/v1/connections", admin, json::object{{"name", name}, {"connection", file}});
    REQUIRE(made.status == 201);
    return std::string(made.json().at("id").as_string());
  }
  HttpAnswer query(const std::string& connection, const json::object& body, const std::string& key = "") {
    return daemon.post("/v1/connections/" + connection + "/query", key.empty() ? operator_ : key, body);
  }
  json::array queries(const std::string& filter = "") {
    auto list = daemon.get("/v1/queries" + filter, operator_);
    REQUIRE(list.status == 200);
    return list.json().at("queries").as_array();
  }
};

std::vector<json::value> lines(const HttpAnswer& answer) {
  std::vector<json::value> out;
  size_t start = 0;
  while (start < answer.body.size()) {
    const size_t end = answer.body.find('\n', start);
    REQUIRE(end != std::string::npos);  // every line ends with a newline
    out.push_back(json::parse(answer.body.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string key_id(const std::string& token) { return sluice::host::serve::parse_api_key(token)->id; }

// A client that reads the headers and the first line, then holds the
// stream open until it is destroyed (or abort()s, a client going away).
struct OpenStream {
  Poco::Net::HTTPClientSession session;
  Poco::Net::HTTPResponse response;
  std::istream* rest = nullptr;  // the body after the first line
  std::string first_line;
  OpenStream(int port, const std::string& path, const std::string& key, const json::object& body)
      : session("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + key);
    const std::string text = json::serialize(body);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(text.size()));
    session.sendRequest(request) << text;
    rest = &session.receiveResponse(response);
    std::getline(*rest, first_line);
  }
};

}  // namespace

TEST_CASE("a query streams its columns, typed rows and an end line with the plugin's facts, the plugin gets the dialect's placeholders and typed values, and the record says who and what") {
  QueryApi api;
  const std::string conn = api.connection("usage", {{"rows", 3}});
  const std::string sql = "SELECT * FROM usage WHERE day >= :from AND units > :min";
  const json::object parameters{{"from", {{"type", "date"}, {"value", "2026-11-01"}}}, {"min", 10}};
  auto answer = api.query(conn, {{"sql", sql}, {"parameters", parameters}});
  INFO(answer.body);
  REQUIRE(answer.status == 200);
  CHECK(answer.content_type == "application/x-ndjson");
  const auto got = lines(answer);
  REQUIRE(got.size() == 5);
  const auto& columns = got[0].at("columns").as_array();
  CHECK(columns.size() == 5);
  CHECK(columns[0] == json::parse(R"({"name":"n","schema":{"type":"integer"},"source_type":"int8"})"));
  CHECK(got[1] == json::parse(R"({"n":1,"label":"row 1, \"quoted\"","at":"2026-11-30T00:00:00Z","even":false,"amount":1.5})"));
  CHECK(got[3] == json::parse(R"({"n":3,"label":"row 3, \"quoted\"","at":"2026-11-30T00:00:00Z","even":false,"amount":3.5})"));
  const auto& end = got[4].at("end").as_object();
  const std::string id(end.at("query_id").as_string());
  const size_t first_row = answer.body.find('\n') + 1;
  const int64_t row_bytes = static_cast<int64_t>(answer.body.rfind("{\"end\"") - first_row);
  CHECK(end.at("rows") == 3);
  CHECK(end.at("bytes") == row_bytes);
  CHECK(end.at("truncated") == false);
  CHECK(end.at("truncated_by").is_null());
  CHECK(end.at("facts") == json::parse(R"({"statement_id":"q-1",
      "sql":"SELECT * FROM usage WHERE day >= $1 AND units > $2",
      "parameters":[{"name":"from","type":"date","value":"2026-11-01"},{"name":"min","type":"integer","value":10}],
      "timeout_seconds":60})"));

  auto recorded = api.queries();
  REQUIRE(recorded.size() == 1);
  const auto& q = recorded[0].as_object();
  CHECK(q.at("id") == json::value(id));
  CHECK(q.at("connection_id") == json::value(conn));
  CHECK(q.at("key_id") == json::value(key_id(api.operator_)));
  CHECK(q.at("outcome") == "ok");
  CHECK(q.at("rows") == 3);
  CHECK(q.at("bytes") == row_bytes);
  CHECK(q.at("sql_sha256") == json::value(sluice::host::serve::sha256_hex(sql)));
  CHECK(q.at("parameters") == parameters);
  CHECK(q.at("error").is_null());
  CHECK_FALSE(q.at("finished_at").is_null());
}

TEST_CASE("roles: a viewer may neither query nor list queries (403), an operator may") {
  QueryApi api;
  const std::string conn = api.connection("usage", {});
  auto by_viewer = api.query(conn, {{"sql", "SELECT 1"}}, api.viewer);
  CHECK(by_viewer.status == 403);
  CHECK(by_viewer.json() == json::parse(R"({"code":"forbidden","message":"this needs the operator role; the key has viewer"})"));
  auto list = api.daemon.get("/v1/queries", api.viewer);
  CHECK(list.status == 403);
  CHECK_THAT(api.daemon.log(), !Catch::Contains("query_rows: running"));
  CHECK(api.query(conn, {{"sql", "SELECT 1"}}, api.admin).status == 200);
  CHECK(api.queries().size() == 1);  // the viewer's attempt never reached the endpoint
}

TEST_CASE("a statement that is not one read-only SELECT, or wrong parameters, is refused with 422 before any child runs, and recorded as refused") {
  QueryApi api;
  const std::string conn = api.connection("usage", {});
  auto second = api.query(conn, {{"sql", "SELECT 1; DELETE FROM usage"}});
  CHECK(second.status == 422);
  CHECK(second.json() == json::parse(R"({"code":"query_refused",
      "message":"sql: line 1, column 11: a second statement: a query is one statement",
      "errors":[{"path":"sql","message":"line 1, column 11: a second statement: a query is one statement"}]})"));
  auto hidden = api.query(conn, {{"sql", "/* SELECT */ UPDATE usage SET units = 0"}});
  CHECK(hidden.status == 422);
  CHECK(hidden.json().at("message") == "sql: line 1, column 14: UPDATE: a query is one SELECT or WITH statement");
  auto missing = api.query(conn, {{"sql", "SELECT :day"}});
  CHECK(missing.status == 422);
  CHECK(missing.json() == json::parse(R"({"code":"invalid_parameters",
      "message":"the statement uses :day but no value was given"})"));
  auto typed = api.query(conn, {{"sql", "SELECT :n"}, {"parameters", {{"n", {{"type", "integer"}, {"value", "1 OR 1=1"}}}}}});
  CHECK(typed.status == 422);
  CHECK(typed.json().at("message") == "parameter n: \"1 OR 1=1\" is not an integer (64-bit)");
  auto malformed = api.query(conn, {{"sql", "SELECT 1"}, {"limit", 3}});
  CHECK(malformed.status == 400);
  CHECK(malformed.json().at("message") == "limit: unknown field");
  CHECK(api.query(conn, {{"sql", 5}}).status == 400);  // no statement: not recorded

  CHECK_THAT(api.daemon.log(), !Catch::Contains("query_rows: running"));
  auto recorded = api.queries("?outcome=refused");
  REQUIRE(recorded.size() == 5);
  CHECK(recorded[4].at("error") == "sql: line 1, column 11: a second statement: a query is one statement");
  CHECK(recorded[4].at("rows") == 0);
  CHECK(recorded[4].at("sql_sha256") == json::value(sluice::host::serve::sha256_hex("SELECT 1; DELETE FROM usage")));
  CHECK(recorded[0].at("error") == "limit: unknown field");
}

TEST_CASE("limits over the daemon's caps are refused with 422 naming the cap, a limit left out is the cap, and a result it cuts fails closed") {
  QueryApi api(json::object{{"query", {{"max_rows", 100}, {"max_timeout_seconds", 5}}}});
  const std::string conn = api.connection("usage", {{"rows", 150}});
  auto rows = api.query(conn, {{"sql", "SELECT 1"}, {"limit_rows", 101}});
  CHECK(rows.status == 422);
  CHECK(rows.json() == json::parse(R"j({"code":"over_limit",
      "message":"limit_rows: 101 is over this daemon's cap of 100 (query.max_rows)",
      "errors":[{"path":"limit_rows","message":"101 is over this daemon's cap of 100 (query.max_rows)"}]})j"));
  auto timeout = api.query(conn, {{"sql", "SELECT 1"}, {"timeout_seconds", 6}});
  CHECK(timeout.status == 422);
  CHECK(timeout.json().at("message") == "timeout_seconds: 6 is over this daemon's cap of 5 (query.max_timeout_seconds)");

  auto capped = api.query(conn, {{"sql", "SELECT 1"}});
  REQUIRE(capped.status == 200);
  const auto got = lines(capped);
  REQUIRE(got.size() == 102);  // columns, 100 rows, the error
  const auto& error = got.back().at("error").as_object();
  CHECK(error.at("code") == "truncated");
  CHECK(error.at("kind") == "limit");
  CHECK(error.at("message") == "the result was cut by limit_rows 100 after 100 rows and is incomplete; raise the "
                               "limit, or send \"allow_truncated\": true to accept part of it");
  CHECK(error.at("rows") == 100);
  CHECK(got.back().at("error").at("query_id") == api.queries("?outcome=failed").at(0).at("id"));
}

TEST_CASE("a result cut by limit_rows ends with an error line unless allow_truncated, and the plugin cancels at the source") {
  QueryApi api;
  const std::string conn = api.connection("usage", {{"rows", 10000}});
  auto cut = api.query(conn, {{"sql", "SELECT 1"}, {"limit_rows", 3}});
  REQUIRE(cut.status == 200);
  auto got = lines(cut);
  REQUIRE(got.size() == 5);
  CHECK(got[3].at("n") == 3);
  CHECK(got[4].at("error").at("code") == "truncated");
  CHECK_THAT(api.daemon.log(), Catch::Contains("query_rows: statement q-1 cancelled at the source"));

  auto allowed = api.query(conn, {{"sql", "SELECT 1"}, {"limit_rows", 3}, {"allow_truncated", true}});
  REQUIRE(allowed.status == 200);
  got = lines(allowed);
  REQUIRE(got.size() == 5);
  CHECK(got[4].at("end").at("truncated") == true);
  CHECK(got[4].at("end").at("truncated_by") == "limit_rows 3");
  CHECK(got[4].at("end").at("rows") == 3);

  auto recorded = api.queries();
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0].at("outcome") == "truncated");
  CHECK(recorded[1].at("outcome") == "failed");
  CHECK(recorded[1].at("error_kind") == "limit");
  CHECK(recorded[1].at("rows") == 3);
}

TEST_CASE("a source failure after rows were streamed ends the stream with an error line, and one before any row is a plain 422 or 502") {
  QueryApi api;
  const std::string late = api.connection("late", {{"rows", 2}, {"mode", "fail_late"}});
  auto after = api.query(late, {{"sql", "SELECT 1"}});
  REQUIRE(after.status == 200);
  const auto got = lines(after);
  REQUIRE(got.size() == 4);
  CHECK(got[2].at("n") == 2);
  const auto& error = got[3].at("error").as_object();
  CHECK(error.at("code") == "source_failed");
  CHECK(error.at("kind") == "transient");
  CHECK(error.at("message") == "query_rows query: connection reset by the source after 2 rows");
  CHECK(error.at("rows") == 2);

  const std::string early = api.connection("early", {{"mode", "fail"}});
  auto before = api.query(early, {{"sql", "SELECT * FROM missing"}});
  CHECK(before.status == 422);
  CHECK(before.json() == json::parse(R"({"code":"query_failed",
      "message":"query_rows query: relation \"missing\" does not exist"})"));

  auto recorded = api.queries();
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0].at("outcome") == "failed");
  CHECK(recorded[0].at("error_kind") == "config");
  CHECK(recorded[1].at("error_kind") == "transient");
  CHECK(recorded[1].at("rows") == 2);
}

TEST_CASE("the timeout is pushed to the plugin, which cancels at the source, and the stream ends with query_timeout") {
  QueryApi api;
  const std::string conn = api.connection("slow", {{"mode", "hang"}});
  auto answer = api.query(conn, {{"sql", "SELECT pg_sleep(3600)"}, {"timeout_seconds", 1}});
  REQUIRE(answer.status == 200);
  const auto got = lines(answer);
  REQUIRE(got.size() == 2);
  CHECK(got[1].at("error").at("code") == "query_timeout");
  CHECK(got[1].at("error").at("message") ==
        "query_rows query: the statement ran past the timeout (1 s) and was cancelled at the source");
  CHECK_THAT(api.daemon.log(), Catch::Contains("query_rows: statement q-1 cancelled at the source"));
  CHECK(api.queries().at(0).at("error_kind") == "timeout");
}

TEST_CASE("a client that goes away mid-result cancels the statement at the source, and queries over query.max_concurrent get 429") {
  QueryApi api(json::object{{"query", {{"max_concurrent", 1}}}});
  const std::string ready = (api.dir.path() / "ready").string();
  const std::string conn = api.connection("slow", {{"mode", "hang"}, {"ready_file", ready}});
  std::string query_id;
  {
    OpenStream stream(api.daemon.port(), "/v1/connections/" + conn + "/query", api.operator_,
                      json::object{{"sql", "SELECT 1"}});
    REQUIRE(static_cast<int>(stream.response.getStatus()) == 200);
    CHECK(json::parse(stream.first_line).at("columns").as_array().size() == 5);
    query_id = stream.response.get("Sluice-Query-Id");
    eventually([&] { return std::filesystem::exists(ready); }, "the statement waits at the source");
    auto second = api.query(conn, {{"sql", "SELECT 2"}});
    CHECK(second.status == 429);
    CHECK(second.json() == json::parse(R"({"code":"too_many_queries",
        "message":"this host runs 1 queries already (query.max_concurrent 1); try again when one has ended"})"));
    stream.session.abort();  // the client goes away
  }
  eventually([&] { return api.queries("?outcome=cancelled").size() == 1; }, "the query is recorded as cancelled");
  const auto cancelled = api.queries("?outcome=cancelled").at(0);
  CHECK(cancelled.at("error") == "the client went away after 0 rows; the statement was cancelled at the source");
  CHECK(cancelled.at("id") == json::value(query_id));
  CHECK_THAT(api.daemon.log(), Catch::Contains("query_rows: statement q-1 cancelled at the source"));
  CHECK(api.queries("?outcome=refused").size() == 1);
  // Its place is free again.
  const std::string quick = api.connection("quick", {{"rows", 1}});
  CHECK(api.query(quick, {{"sql", "SELECT 1"}}).status == 200);
}

TEST_CASE("while a query runs, its statement and parameter values are in no argument of the child: they reach it on stdin") {
  QueryApi api;
  const std::string ready = (api.dir.path() / "ready").string();
  const std::string conn = api.connection("slow", {{"mode", "hang"}, {"ready_file", ready}});
  OpenStream stream(api.daemon.port(), "/v1/connections/" + conn + "/query", api.operator_,
                    json::object{{"sql", "SELECT * FROM usage WHERE customer = :customer"},
                                 {"parameters", {{"customer", "cust-7f3e-marker"}}}});
  REQUIRE(static_cast<int>(stream.response.getStatus()) == 200);
  eventually([&] { return std::filesystem::exists(ready); }, "the statement waits at the source");
  int children = 0;
  for (const auto& proc : std::filesystem::directory_iterator("/proc")) {
    const std::string stat = read_file(proc.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string state;
    int parent = 0;
    fields >> state >> parent;
    if (parent != api.daemon.pid()) continue;
    const std::string cmdline = read_file(proc.path() / "cmdline");
    if (cmdline.find(std::string("query\0--request\0-\0", 18)) == std::string::npos) continue;
    ++children;
    CHECK(cmdline.find("cust-7f3e-marker") == std::string::npos);
    CHECK(cmdline.find("customer") == std::string::npos);
  }
  CHECK(children == 1);
  stream.session.abort();
  eventually([&] { return api.queries("?outcome=cancelled").size() == 1; }, "the query is recorded as cancelled");
}

TEST_CASE("stopping the daemon cancels a running query at the source and ends its stream with an error line") {
  QueryApi api;
  const std::string ready = (api.dir.path() / "ready").string();
  const std::string conn = api.connection("slow", {{"mode", "hang"}, {"ready_file", ready}});
  OpenStream stream(api.daemon.port(), "/v1/connections/" + conn + "/query", api.operator_,
                    json::object{{"sql", "SELECT 1"}});
  REQUIRE(static_cast<int>(stream.response.getStatus()) == 200);
  eventually([&] { return std::filesystem::exists(ready); }, "the statement waits at the source");
  const int status = api.daemon.stop();
  CHECK(WIFEXITED(status));
  std::string rest;
  std::getline(*stream.rest, rest);
  const json::value error = json::parse(rest);
  CHECK(error.at("error").at("code") == "stopping");
  CHECK(error.at("error").at("message") == "the daemon is stopping: the statement was cancelled at the source");
  CHECK_THAT(api.daemon.log(), Catch::Contains("query_rows: statement q-1 cancelled at the source"));
  api.daemon.start();
  CHECK(api.queries().at(0).at("outcome") == "cancelled");
}

TEST_CASE("GET /v1/queries filters by connection and outcome and pages newest first") {
  QueryApi api;
  const std::string a = api.connection("a", {{"rows", 1}});
  const std::string b = api.connection("b", {{"rows", 1}});
  for (int i = 0; i < 3; ++i) REQUIRE(api.query(a, {{"sql", "SELECT " + std::to_string(i)}}).status == 200);
  REQUIRE(api.query(b, {{"sql", "SELECT 9"}}).status == 200);
  REQUIRE(api.query(a, {{"sql", "DELETE FROM t"}}).status == 422);
  auto first = api.daemon.get("/v1/queries?connection_id=" + a + "&outcome=ok&limit=2", api.operator_);
  REQUIRE(first.status == 200);
  const json::value first_doc = first.json();
  const auto& page = first_doc.at("queries").as_array();
  REQUIRE(page.size() == 2);
  CHECK(page[0].at("sql_sha256") == json::value(sluice::host::serve::sha256_hex("SELECT 2")));
  CHECK(page[1].at("sql_sha256") == json::value(sluice::host::serve::sha256_hex("SELECT 1")));
  const std::string token(first_doc.at("next_page_token").as_string());
  auto second = api.daemon.get("/v1/queries?connection_id=" + a + "&outcome=ok&limit=2&page_token=" + token,
                               api.operator_);
  REQUIRE(second.status == 200);
  CHECK(second.json().at("queries").as_array().size() == 1);
  CHECK(second.json().at("queries").at(0).at("sql_sha256") == json::value(sluice::host::serve::sha256_hex("SELECT 0")));
  CHECK(second.json().at("next_page_token").is_null());
  CHECK(api.queries("?connection_id=" + b).size() == 1);
  CHECK(api.queries().size() == 5);
  auto bad = api.daemon.get("/v1/queries?outcome=done", api.operator_);
  CHECK(bad.status == 400);
  CHECK(bad.json().at("message") == "outcome: expected running, ok, truncated, failed, cancelled or refused");
}

TEST_CASE("a parameter equal to a secret of the connection is masked in the record, the stream and the log") {
  QueryApi api;
  const std::string secret = "tok-9f8e7d6c5b4a";
  const std::string conn = api.connection("secret", {{"rows", 1}, {"token", secret}});
  const json::object parameters{{"p", secret}, {"q", {{"type", "string"}, {"value", secret}}}, {"r", "plain"}};
  auto answer = api.query(conn, {{"sql", "SELECT :p, :q, :r"}, {"parameters", parameters}});
  REQUIRE(answer.status == 200);
  const auto got = lines(answer);
  CHECK(got.back().at("end").at("facts").at("parameters") == json::parse(R"([
      {"name":"p","type":"string","value":"********"},{"name":"q","type":"string","value":"********"},
      {"name":"r","type":"string","value":"plain"}])"));
  auto list = api.daemon.get("/v1/queries", api.operator_);
  CHECK(list.json().at("queries").at(0).at("parameters") ==
        json::parse(R"({"p":"********","q":{"type":"string","value":"********"},"r":"plain"})"));
  auto refused = api.query(conn, {{"sql", "SELECT :p; DROP TABLE t"}, {"parameters", {{"p", secret}}}});
  CHECK(refused.status == 422);
  const std::string everything = answer.body + list.body + refused.body + api.daemon.log() +
                                 api.daemon.get("/v1/queries", api.operator_).body;
  CHECK_THAT(everything, !Catch::Contains(secret));
}

TEST_CASE("query settings in serve.json are checked with one line per problem") {
  TempDir dir;
  const std::string config = dir.write("serve.json", R"({"query": {"max_rows": 0, "max_concurrent": "four",
      "default_timeout_seconds": 600, "max_timeout_seconds": 300, "max_cols": 3}})");
  ProcessOptions options;
  options.working_dir = dir.path().string();
  auto run = run_sluice({"serve", "--config", config}, options);
  CHECK(run.exit_code == 2);
  const std::string e = "error: " + config + ": ";
  CHECK(run.err == e + "query.max_cols: unknown setting\n" + e +
                       "query.max_rows: expected an integer from 1 to 1099511627776\n" + e +
                       "query.max_concurrent: expected an integer from 1 to 1024\n" + e +
                       "query.default_timeout_seconds: must be at most query.max_timeout_seconds\n");
}
