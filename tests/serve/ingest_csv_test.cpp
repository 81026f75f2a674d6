// CSV uploads against the running daemon and through `sluice ingest csv`
// (docs/ingest.md "CSV upload"): RFC 4180 quoting end to end, per-row
// errors with their lines, dedup within and across uploads, an upload that
// stops keeping the batches before it, bounded memory, the ingest role and
// the size limit. Every JSON answer is checked against the OpenAPI document
// by the fixture; rows are read back from the target's SQLite file.
#include "common/sanitizer.hpp"
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "serve/daemon_fixture.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace sluice::test;
namespace json = boost::json;

namespace {

json::object usage_stream(const std::string& name) {
  json::object properties{{"event_id", {{"type", "string"}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"customer", {{"type", "string"}}},
                          {"units", {{"type", "integer"}}},
                          {"note", {{"type", "string"}}}};
  return {{"name", name},
          {"schema", {{"type", "object"}, {"properties", properties}}},
          {"id_field", "event_id"},
          {"time_field", "occurred_at"},
          {"customer_field", "customer"},
          {"late_after_seconds", 0}};
}

const std::string kHeader = "event_id,occurred_at,customer,units,note\r\n";

// Rows "<prefix>-<first>" .. "<prefix>-<last>", one line each.
std::string numbered(const std::string& prefix, int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) {
    out += prefix + "-" + std::to_string(i) + ",2026-12-07T10:00:00Z,acme," + std::to_string(i) + ",n\r\n";
  }
  return out;
}

struct Upload {
  TempDir dir;
  Daemon daemon;
  std::string admin, ingest_key, viewer;
  explicit Upload(json::object ingest = {}) : daemon(dir.path(), settings(std::move(ingest), dir.path())) {
    admin = daemon.create_key("admin");
    ingest_key = daemon.create_key("ingest");
    viewer = daemon.create_key("viewer");
    daemon.start();
    REQUIRE(daemon.post("/v1/ingest-streams", admin, usage_stream("usage")).status == 201);
  }
  static json::object settings(json::object ingest, const std::filesystem::path& dir) {
    ingest["default_target"] = "sqlite://" + (dir / "events.db").string();
    return {{"ingest", ingest}};
  }
  HttpAnswer post(const std::string& csv, const std::string& query = "", const std::string& key = "",
                  std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "text/csv");
    return daemon.request("POST", "/v1/ingest/usage/csv" + query, key.empty() ? ingest_key : key, csv, headers);
  }
  json::value post_ok(const std::string& csv, const std::string& query = "") {
    auto answer = post(csv, query);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return answer.json();
  }
  std::string db() const { return (dir.path() / "events.db").string(); }
  Rows rows(const std::string& sql) const { return sqlite_rows(db(), sql); }
};

// The report's counts, as one object to compare.
json::value counts(const json::value& report) {
  return json::object{{"accepted", report.at("accepted")},
                      {"duplicate", report.at("duplicate")},
                      {"rejected", report.at("rejected")}};
}

json::value counts(int accepted, int duplicate, int rejected) {
  return json::object{{"accepted", accepted}, {"duplicate", duplicate}, {"rejected", rejected}};
}

uint64_t status_kib(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
  }
  FAIL("no " + field + " in /proc/" + std::to_string(pid) + "/status");
  return 0;
}


}  // namespace

TEST_CASE("a CSV upload keeps RFC 4180 quoting end to end: quoted delimiters, doubled quotes and line breaks are stored as data") {
  Upload api;
  const std::string csv = "\xEF\xBB\xBF" + kHeader +
                          "q-1,2026-12-07T10:00:00Z,acme,3,\"a, b\"\r\n"
                          "q-2,2026-12-07T10:00:01Z,\"ac\"\"me\",4,\"two\r\nlines\"\r\n"
                          "q-3,2026-12-07T10:00:02Z,acme,,\"\"\n"
                          "\n"
                          "q-4,2026-12-07T10:00:03+02:00,acme,5,";  // no line end at the end
  auto report = api.post_ok(csv);
  CHECK(counts(report) == counts(4, 0, 0));
  CHECK(report.at("rows") == 4);
  CHECK(report.at("errors").as_array().empty());
  CHECK(api.rows("SELECT event_id, occurred_at, customer, units, note FROM usage ORDER BY event_id") ==
        Rows{{"q-1", "2026-12-07T10:00:00.000000Z", "acme", "3", "a, b"},
             {"q-2", "2026-12-07T10:00:01.000000Z", "ac\"me", "4", "two\r\nlines"},
             {"q-3", "2026-12-07T10:00:02.000000Z", "acme", "NULL", ""},
             {"q-4", "2026-12-07T08:00:03.000000Z", "acme", "5", "NULL"}});
}

TEST_CASE("a CSV upload stores its good rows and reports each rejected one with its line, column, field and reason") {
  Upload api;
  const std::string csv = kHeader +
                          "r-1,2026-12-07T10:00:00Z,acme,1,\"spans\n"
                          "two lines\"\n"                                  // lines 2-3
                          "r-2,2026-12-07T10:00:00Z,acme,many,n\n"         // line 4: not an integer
                          "r-3,2026-12-07T10:00:00Z,acme,1\n"              // line 5: a cell short
                          "r-4,2026-12-07T10:00:00Z,ac\"me,1,n\n"          // line 6: a stray quote
                          ",2026-12-07T10:00:00Z,acme,1,n\n"               // line 7: no id
                          "r-5,yesterday,acme,1,n\n"                       // line 8: not a time
                          "r-6,2026-12-07T10:00:00Z,acme,6,n\n";           // line 9
  auto report = api.post_ok(csv);
  INFO(json::serialize(report));
  CHECK(counts(report) == counts(2, 0, 5));
  const auto& errors = report.at("errors").as_array();
  REQUIRE(errors.size() == 5);
  CHECK(errors[0] == json::parse(R"({"line": 4, "column": 4, "field": "units", "reason": "expected integer, got string"})"));
  CHECK(errors[1] == json::parse(R"({"line": 5, "column": 5, "field": "note", "reason": "the row has 4 cells where the header has 5"})"));
  CHECK(errors[2] == json::parse(R"({"line": 6, "column": 3, "field": "customer", "reason": "a quote inside an unquoted cell"})"));
  CHECK(errors[3] == json::parse(R"({"line": 7, "column": 1, "field": "event_id", "reason": "required property missing"})"));
  CHECK(errors[4].at("line") == 8);
  CHECK(errors[4].at("field") == "occurred_at");
  CHECK(errors[4].at("column") == 2);
  CHECK(report.at("errors_omitted") == 0);
  CHECK(api.rows("SELECT event_id, note FROM usage ORDER BY event_id") ==
        Rows{{"r-1", "spans\ntwo lines"}, {"r-6", "n"}});

  // The first 1,000 errors are listed, in line order; the rest counted.
  std::string many = kHeader;
  for (int i = 1; i <= 1003; ++i) many += "m-" + std::to_string(i) + ",2026-12-07T10:00:00Z,acme,x,n\n";
  auto capped = api.post_ok(many);
  CHECK(counts(capped) == counts(0, 0, 1003));
  REQUIRE(capped.at("errors").as_array().size() == 1000);
  CHECK(capped.at("errors").as_array()[999].at("line") == 1001);
  CHECK(capped.at("errors_omitted") == 3);
}

TEST_CASE("an id repeated within an upload, across uploads or across batches is stored once, and the same file sent again is all duplicate") {
  Upload api;
  // 12,000 rows: three batches of 5,000, with r-1 again in the third.
  const std::string csv = kHeader + numbered("r", 1, 3) + "r-2,2026-12-07T11:00:00Z,other,9,again\r\n" +
                          numbered("s", 1, 11995) + numbered("r", 1, 1);
  auto first = api.post_ok(csv);
  CHECK(counts(first) == counts(11998, 2, 0));
  auto again = api.post_ok(csv);
  CHECK(counts(again) == counts(0, 12000, 0));
  auto overlapping = api.post_ok(kHeader + numbered("r", 3, 5));
  CHECK(counts(overlapping) == counts(2, 1, 0));
  CHECK(api.rows("SELECT count(*), count(DISTINCT event_id) FROM usage") == Rows{{"12000", "12000"}});
  // The first copy is kept: r-2 as first sent.
  CHECK(api.rows("SELECT customer, units FROM usage WHERE event_id = 'r-2'") == Rows{{"acme", "2"}});
  // Each batch is its own transaction, named after the upload.
  const std::string upload = std::string(first.at("upload_id").as_string());
  CHECK(api.rows("SELECT _sluice_sync_id, count(*) FROM usage WHERE _sluice_sync_id LIKE '" + upload +
                 "-%' GROUP BY 1 ORDER BY 1") ==
        Rows{{upload + "-1", "4999"}, {upload + "-2", "5000"}, {upload + "-3", "1999"}});
}

TEST_CASE("an unbalanced quote mid-file keeps the rows before it and answers 422 with where reading stopped, and sent again they are duplicates") {
  Upload api;
  // The quote opens a cell that runs past the 1 MiB cell limit: where its
  // record ends cannot be known.
  const std::string csv = kHeader + numbered("b", 1, 7000) + "b-x,2026-12-07T10:00:00Z,acme,1,\"unbalanced\r\n" +
                          numbered("c", 1, 30000);
  auto stopped = api.post(csv);
  INFO(stopped.body);
  REQUIRE(stopped.status == 422);
  const json::value report = stopped.json();
  CHECK(report.at("code") == "bad_csv");
  CHECK(counts(report) == counts(7000, 0, 0));
  CHECK(report.at("stopped").at("line") == 7002);
  CHECK(report.at("stopped").at("column") == 5);
  CHECK_THAT(std::string(report.at("stopped").at("reason").as_string()),
             Catch::StartsWith("a quoted cell runs past 1 MiB (the cell limit): an unbalanced quote?"));
  CHECK(std::string(report.at("message").as_string()) ==
        "the upload cannot be read on: line 7002, column 5: " + std::string(report.at("stopped").at("reason").as_string()));
  CHECK(api.rows("SELECT count(*), min(event_id), max(event_id) FROM usage") == Rows{{"7000", "b-1", "b-999"}});
  // Fixed and sent again: what the first attempt committed is duplicate.
  auto fixed = api.post_ok(kHeader + numbered("b", 1, 7000) + numbered("c", 1, 3));
  CHECK(counts(fixed) == counts(3, 7000, 0));
  // A quote still open at the end of a short file rejects that one row.
  auto tail = api.post_ok(kHeader + numbered("d", 1, 2) + "d-x,2026-12-07T10:00:00Z,acme,1,\"open\r\n" +
                          numbered("d", 3, 4));
  CHECK(counts(tail) == counts(2, 0, 1));
  CHECK(tail.at("errors").as_array()[0] ==
        json::parse(R"({"line": 4, "column": 5, "field": "note", "reason": "a quoted cell is still open at the end of the input"})"));
}

TEST_CASE("a 60 MiB upload is read in bounded memory: after a warm-up, the daemon's peak RSS grows by less than a quarter of it") {
  Upload api;
  // Rows of about 600 bytes, written as they are made (chunked): neither
  // side holds the file.
  const std::string pad(560, 'p');
  // One kept-alive connection: both uploads on the same daemon thread (and
  // malloc arena), so the warm-up's peak is the one the second would reach.
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(api.daemon.port()));
  session.setKeepAlive(true);
  auto send = [&](const std::string& prefix, int count) {
    Poco::Net::HTTPRequest request("POST", "/v1/ingest/usage/csv", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.set("Authorization", "Bearer " + api.ingest_key);
    request.setChunkedTransferEncoding(true);
    std::ostream& out = session.sendRequest(request);
    std::string chunk = kHeader;
    uint64_t bytes = 0;
    for (int i = 1; i <= count; ++i) {
      chunk += prefix + std::to_string(i) + ",2026-12-07T10:00:00Z,acme," + std::to_string(i) + "," + pad + "\n";
      if (chunk.size() >= (64u << 10) || i == count) {
        out << chunk;
        bytes += chunk.size();
        chunk.clear();
      }
    }
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    INFO(body);
    REQUIRE(response.getStatus() == 200);
    CHECK(counts(json::parse(body)) == counts(count, 0, 0));
    return bytes;
  };
  // The warm-up fills what a session keeps whatever the upload's size
  // (SQLite's 16 MiB page cache, the batch buffers at their largest).
  send("warm-", 20000);
  const uint64_t peak_before = status_kib(api.daemon.pid(), "VmHWM");
  const uint64_t bytes = send("big-", 100000);
  REQUIRE(bytes > (56u << 20));
  const uint64_t growth_kib = status_kib(api.daemon.pid(), "VmHWM") - peak_before;
  INFO("body " << (bytes >> 20) << " MiB, daemon peak RSS " << (peak_before >> 10) << " MiB before, growth "
               << (growth_kib >> 10) << " MiB");
  if (!sluice::test::kUnderSanitizer) CHECK(growth_kib < (bytes >> 10) / 4);
  CHECK(api.rows("SELECT count(*) FROM usage WHERE event_id LIKE 'big-%'") == Rows{{"100000"}});
}

TEST_CASE("only ingest, operator and admin keys may upload CSV, gzip is inflated as it arrives, and a header is renamed by ?rename") {
  Upload api;
  auto by_viewer = api.post(kHeader + numbered("v", 1, 1), "", api.viewer);
  CHECK(by_viewer.status == 403);
  CHECK(by_viewer.json().at("message") == "this needs the ingest, operator or admin role; the key has viewer");
  CHECK(api.post(kHeader, "", "slk_unknown").status == 401);
  CHECK(api.daemon.request("POST", "/v1/ingest/nope/csv", api.ingest_key, kHeader).status == 404);
  CHECK(api.post(kHeader + numbered("a", 1, 1), "", api.admin).status == 200);

  auto zipped = api.post(gzip(kHeader + numbered("z", 1, 3)), "", "", {{"Content-Encoding", "gzip"}});
  REQUIRE(zipped.status == 200);
  CHECK(counts(zipped.json()) == counts(3, 0, 0));
  CHECK(api.post("not gzip", "", "", {{"Content-Encoding", "gzip"}}).status == 400);
  CHECK(api.post(kHeader, "", "", {{"Content-Encoding", "br"}}).status == 415);

  // {"Event ID": "event_id", "When": "occurred_at"}, semicolons.
  auto report = api.post_ok(
      "Event ID;When;customer;units\nn-1;2026-12-07T10:00:00Z;acme;7\n",
      "?delimiter=%3B&rename=%7B%22Event%20ID%22%3A%22event_id%22%2C%22When%22%3A%22occurred_at%22%7D");
  CHECK(counts(report) == counts(1, 0, 0));
  CHECK(api.rows("SELECT units FROM usage WHERE event_id = 'n-1'") == Rows{{"7"}});
  auto typo = api.post("Event ID,When\n", "?rename=%7B%22Event%20Id%22%3A%22event_id%22%7D");
  CHECK(typo.status == 422);
  CHECK(typo.json().at("message") ==
        "the upload cannot be read on: line 1: the header mapping renames columns the header does not have: \"Event Id\"");
}

TEST_CASE("an upload over ingest.max_csv_bytes is a 413: refused on its Content-Length, or stopped with the rows read so far when chunked") {
  Upload api({{"max_csv_bytes", 200000}});
  {
    // Refused on its Content-Length, before a byte of it is read (so the
    // client sends none: the daemon closes the connection after a 413).
    auto refused = api.daemon.announce("/v1/ingest/usage/csv", api.ingest_key, 200001);
    CHECK(refused.status == 413);
    CHECK(refused.json() == json::parse(R"j({"code": "too_large",
        "message": "the upload is larger than 200000 bytes (ingest.max_csv_bytes)"})j"));
    CHECK_FALSE(sqlite_has_table(api.db(), "usage"));
  }
  // Chunked: read until the limit, then stopped; the rows before stay.
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(api.daemon.port()));
  Poco::Net::HTTPRequest request("POST", "/v1/ingest/usage/csv", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + api.ingest_key);
  request.setChunkedTransferEncoding(true);
  std::ostream& out = session.sendRequest(request);
  out << kHeader;
  for (int i = 1; i <= 5000 && out; ++i) out << numbered("l", i, i) << std::flush;
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  INFO(body);
  REQUIRE(response.getStatus() == 413);
  const json::value report = json::parse(body);
  CHECK(report.at("code") == "too_large");
  const int64_t stored = report.at("accepted").as_int64();
  CHECK(stored > 3000);
  CHECK(stored < 5000);
  CHECK(report.at("stopped").at("line") == stored + 2);
  CHECK(api.rows("SELECT count(*) FROM usage") == Rows{{std::to_string(stored)}});
}

TEST_CASE("sluice ingest csv posts a file to the daemon and prints its report: exit 0 when all rows are stored or duplicate, 1 with a rejected row") {
  Upload api;
  const std::string file = api.dir.write("usage.csv", kHeader + numbered("f", 1, 3));
  const std::string key_file = api.dir.write("key", api.ingest_key + "\n");
  const std::string url = "http://127.0.0.1:" + std::to_string(api.daemon.port());
  auto first = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url, "--key-file", key_file});
  INFO(first.all());
  CHECK(first.exit_code == 0);
  CHECK(counts(json::parse(first.out)) == counts(3, 0, 0));
  ProcessOptions with_env;
  with_env.env = {{"SLUICE_API_KEY", api.ingest_key}};
  auto again = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url}, with_env);
  CHECK(again.exit_code == 0);
  CHECK(counts(json::parse(again.out)) == counts(0, 3, 0));

  const std::string bad = api.dir.write("bad.csv", "Id,When,customer,units\ng-1,2026-12-07T10:00:00Z,acme,x\n"
                                                   "g-2,2026-12-07T10:00:00Z,acme,2\n");
  auto rejected = run_sluice({"ingest", "csv", bad, "--stream", "usage", "--daemon", url, "--key-file", key_file,
                              "--rename", "Id=event_id", "--rename", "When=occurred_at"});
  CHECK(rejected.exit_code == 1);
  const json::value report = json::parse(rejected.out);
  CHECK(counts(report) == counts(1, 0, 1));
  CHECK(report.at("errors") ==
        json::parse(R"([{"line": 2, "column": 4, "field": "units", "reason": "expected integer, got string"}])"));
  CHECK(api.rows("SELECT event_id FROM usage ORDER BY 1") == Rows{{"f-1"}, {"f-2"}, {"f-3"}, {"g-2"}});

  // A stopped upload: the report on stdout, the reason on stderr, exit 1.
  auto typo = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url, "--key-file", key_file,
                          "--rename", "Nope=event_id"});
  CHECK(typo.exit_code == 1);
  CHECK(json::parse(typo.out).at("code") == "bad_csv");
  CHECK(typo.err == "error: ingest csv: the upload cannot be read on: line 1: the header mapping renames columns the "
                    "header does not have: \"Nope\"\n");

  ProcessOptions without_env;
  without_env.unset_env = {"SLUICE_API_KEY"};
  auto no_key = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url}, without_env);
  CHECK(no_key.exit_code == 2);
  CHECK(no_key.err == "error: ingest csv: --daemon needs an API key: --key-file FILE or SLUICE_API_KEY\n");
  ProcessOptions as_viewer;
  as_viewer.env = {{"SLUICE_API_KEY", api.viewer}};
  auto viewer = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url}, as_viewer);
  CHECK(viewer.exit_code == 1);
  CHECK(viewer.err ==
        "error: ingest csv: the daemon answered 403: this needs the ingest, operator or admin role; the key has viewer\n");
}

TEST_CASE("sluice ingest csv posts to an https daemon whose certificate --ca-file trusts, and an untrusted one fails in one line") {
  Upload api;  // over http: declares the stream; then the same store behind TLS
  auto made = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-addext",
                           "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", api.dir.file("key.pem"), "-out",
                           api.dir.file("cert.pem")});
  REQUIRE(made.exit_code == 0);
  api.daemon.stop();
  json::object settings = Upload::settings({}, api.dir.path());
  settings["tls"] = {{"certificate", api.dir.file("cert.pem")}, {"private_key", api.dir.file("key.pem")}};
  Daemon tls(api.dir.path(), settings);
  tls.start();
  REQUIRE_THAT(tls.first_line(), Catch::StartsWith("sluice serve: listening on https://127.0.0.1:"));
  const std::string url = "https://127.0.0.1:" + std::to_string(tls.port());
  const std::string file = api.dir.write("usage.csv", kHeader + numbered("t", 1, 3));
  const std::string key_file = api.dir.write("key", api.ingest_key + "\n");

  auto untrusted = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url, "--key-file", key_file});
  INFO(untrusted.all());
  CHECK(untrusted.exit_code == 1);
  CHECK_THAT(untrusted.err, Catch::StartsWith("error: ingest csv: TLS with the daemon at " + url + " failed (") &&
                                Catch::EndsWith("; a daemon with a private or self-signed certificate needs --ca-file FILE\n"));
  CHECK(untrusted.out.empty());
  CHECK_FALSE(std::filesystem::exists(api.db()));  // nothing reached the stream's target

  auto trusted = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", url, "--key-file", key_file,
                             "--ca-file", api.dir.file("cert.pem")});
  INFO(trusted.all());
  CHECK(trusted.exit_code == 0);
  CHECK(counts(json::parse(trusted.out)) == counts(3, 0, 0));
  CHECK(api.rows("SELECT event_id FROM usage ORDER BY 1") == Rows{{"t-1"}, {"t-2"}, {"t-3"}});

  auto plain = run_sluice({"ingest", "csv", file, "--stream", "usage", "--daemon", "http://127.0.0.1:1", "--key-file",
                           key_file, "--ca-file", api.dir.file("cert.pem")});
  CHECK(plain.exit_code == 2);
  CHECK(plain.err == "error: ingest csv: --ca-file goes with an https:// --daemon\n");
}

TEST_CASE("sluice ingest csv with a declaration writes straight into the target with the same typing and dedup, and refuses bad usage with exit 2") {
  TempDir dir;
  json::object declaration = usage_stream("usage");
  declaration["target"] = "sqlite://" + (dir.path() / "direct.db").string();
  const std::string decl = dir.write("usage.json", json::serialize(declaration));
  const std::string file =
      dir.write("usage.csv", kHeader + numbered("d", 1, 2) + "d-1,2026-12-07T10:00:00Z,acme,1,n\n\"d-3\",x,acme,3,\"a\"\"b\"\n");
  auto first = run_sluice({"ingest", "csv", file, "--stream", "usage", "--declaration", decl});
  INFO(first.all());
  CHECK(first.exit_code == 1);
  const json::value report = json::parse(first.out);
  CHECK(counts(report) == counts(2, 1, 1));
  CHECK(report.at("errors").as_array()[0].at("line") == 5);
  CHECK(report.at("errors").as_array()[0].at("field") == "occurred_at");
  const std::string other = "sqlite://" + (dir.path() / "other.db").string();
  auto elsewhere = run_sluice({"ingest", "csv", file, "--stream", "usage", "--declaration", decl, "--target", other});
  CHECK(counts(json::parse(elsewhere.out)) == counts(2, 1, 1));
  auto again = run_sluice({"ingest", "csv", file, "--stream", "usage", "--declaration", decl});
  CHECK(counts(json::parse(again.out)) == counts(0, 3, 1));
  CHECK(sqlite_rows((dir.path() / "direct.db").string(), "SELECT event_id FROM usage ORDER BY 1") ==
        Rows{{"d-1"}, {"d-2"}});

  auto both = run_sluice({"ingest", "csv", file, "--stream", "usage", "--declaration", decl, "--daemon", "http://x"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "error: ingest csv: give either --daemon URL or --declaration FILE\n");
  auto wrong = run_sluice({"ingest", "csv", file, "--stream", "other", "--declaration", decl});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err == "error: ingest csv: --stream other but the declaration is of stream usage\n");
  auto missing = run_sluice({"ingest", "csv", "/nonexistent.csv", "--stream", "usage", "--declaration", decl});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "error: ingest csv: /nonexistent.csv: no such file\n");
  auto help = run_sluice({"ingest", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::StartsWith("Usage: sluice ingest csv FILE --stream S --daemon URL"));
}
