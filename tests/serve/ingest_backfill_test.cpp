// Backfills against the running daemon (docs/ingest.md#backfills): the
// roles, the API's shape (every answer is checked against the OpenAPI
// document by the fixture), a backfill and its revert leaving exactly the
// rows that were there, events posted while a backfill runs, and the
// newest-first rule of reverts. Rows are read from the target's SQLite file.
#include "common/sqlite_reader.hpp"
#include "host/ingest/backfill.hpp"
#include "host/ingest/ingest_stream.hpp"
#include "host/ingest/ingest_writer.hpp"
#include "host/target/target.hpp"
#include "serve/daemon_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

json::object usage_stream() {
  json::object properties{{"event_id", {{"type", "string"}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"customer", {{"type", "string"}}},
                          {"units", {{"type", "integer"}}}};
  return {{"name", "usage"},
          {"schema", {{"type", "object"}, {"properties", properties}}},
          {"id_field", "event_id"},
          {"time_field", "occurred_at"},
          {"customer_field", "customer"},
          {"late_after_seconds", 0}};
}

json::object event(const std::string& id, const std::string& at, const std::string& customer = "acme",
                   int64_t units = 1) {
  return {{"event_id", id}, {"occurred_at", "2026-12-07T" + at + "Z"}, {"customer", customer}, {"units", units}};
}

std::string key_id(const std::string& token) { return token.substr(4, token.find('_', 4) - 4); }

struct Backfills {
  TempDir dir;
  Daemon daemon;
  std::string admin, operator_key, viewer, ingest_key;
  Backfills() : daemon(dir.path(), settings(dir.path())) {
    admin = daemon.create_key("admin");
    operator_key = daemon.create_key("operator");
    viewer = daemon.create_key("viewer");
    ingest_key = daemon.create_key("ingest");
    daemon.start();
    REQUIRE(daemon.post("/v1/ingest-streams", admin, usage_stream()).status == 201);
  }
  static json::object settings(const std::filesystem::path& dir) {
    return {{"ingest", {{"default_target", "sqlite://" + (dir / "events.db").string()}}}};
  }
  void ingest(const json::array& events) {
    auto answer = daemon.request("POST", "/v1/ingest/usage", ingest_key, json::serialize(events));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    REQUIRE(answer.json().at("rejected") == 0);
  }
  HttpAnswer backfill(const json::object& body, const std::string& key = "") {
    return daemon.post("/v1/ingest/usage/backfills", key.empty() ? operator_key : key, body);
  }
  HttpAnswer revert(const std::string& id, const std::string& key = "") {
    return daemon.request("POST", "/v1/ingest/usage/backfills/" + id + "/revert", key.empty() ? operator_key : key);
  }
  Rows rows(const std::string& sql) const { return sqlite_rows((dir.path() / "events.db").string(), sql); }
  // Every column of every live row, in id order.
  Rows live() const { return rows("SELECT * FROM usage ORDER BY event_id"); }
};

json::object range(const std::string& from, const std::string& to, const json::array& events) {
  return {{"from", "2026-12-07T" + from + "Z"}, {"to", "2026-12-07T" + to + "Z"}, {"events", events}};
}

std::string error_code(const HttpAnswer& answer) { return std::string(answer.json().at("code").as_string()); }

}  // namespace

TEST_CASE(
    "a backfill by an operator replaces its range's events of its customer, is "
    "listed, and its revert leaves exactly the original rows") {
  Backfills api;
  api.ingest({event("e-1", "09:59:59"), event("e-2", "10:00:00"), event("e-3", "10:30:00", "globex"),
              event("e-4", "10:59:59"), event("e-5", "11:00:00")});
  const Rows original = api.live();

  json::object body = range("10:00:00", "11:00:00", {event("e-2", "10:00:00", "acme", 20), event("e-6", "10:10:00")});
  body["customer"] = "acme";
  CHECK(api.backfill(body, api.ingest_key).status == 403);
  CHECK(api.backfill(body, api.viewer).status == 403);
  CHECK(api.live() == original);
  auto made = api.backfill(body);
  INFO(made.body);
  REQUIRE(made.status == 201);
  const json::value backfill = made.json();
  const std::string id(backfill.at("id").as_string());
  CHECK(backfill.at("state") == "applied");
  CHECK(backfill.at("from") == "2026-12-07T10:00:00.000000Z");
  CHECK(backfill.at("to") == "2026-12-07T11:00:00.000000Z");
  CHECK(backfill.at("customer") == "acme");
  CHECK(backfill.at("created_by") == json::value(key_id(api.operator_key)));
  CHECK(backfill.at("rows_replaced") == 2);
  CHECK(backfill.at("rows_inserted") == 2);
  CHECK(api.rows("SELECT event_id, units, _sluice_sync_id = '" + id + "' FROM usage ORDER BY event_id") ==
        Rows{{"e-1", "1", "0"}, {"e-2", "20", "1"}, {"e-3", "1", "0"}, {"e-5", "1", "0"}, {"e-6", "1", "1"}});
  CHECK(api.rows("SELECT event_id FROM usage__replaced WHERE _sluice_backfill_id = '" + id + "' ORDER BY event_id") ==
        Rows{{"e-2"}, {"e-4"}});

  auto listed = api.daemon.get("/v1/ingest/usage/backfills", api.viewer);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.json().at("backfills").as_array().size() == 1);
  CHECK(listed.json().at("backfills").as_array()[0] == backfill);

  CHECK(api.revert(id, api.viewer).status == 403);
  auto reverted = api.revert(id, api.admin);
  INFO(reverted.body);
  REQUIRE(reverted.status == 200);
  CHECK(reverted.json().at("state") == "reverted");
  CHECK(reverted.json().at("reverted_by") == json::value(key_id(api.admin)));
  CHECK(api.live() == original);
  CHECK(api.rows("SELECT COUNT(*) FROM usage__replaced") == Rows{{"0"}});
  auto again = api.revert(id);
  CHECK(again.status == 409);
  CHECK(error_code(again) == "backfill_not_applied");
  CHECK(api.revert("bf_nope").status == 404);
  CHECK(api.daemon.get("/v1/ingest/usage/backfills", api.viewer).json().at("backfills").as_array()[0].at("state") ==
        "reverted");
}

TEST_CASE(
    "a backfill with a bad range, a customer the stream lacks or an event "
    "outside its range is a 422 naming each path, and nothing changes") {
  Backfills api;
  api.ingest({event("e-1", "10:00:00"), event("e-2", "12:00:00")});
  const Rows original = api.live();
  auto backwards = api.backfill(range("11:00:00", "10:00:00", {}));
  REQUIRE(backwards.status == 422);
  CHECK(backwards.json().at("message") == "to: must be after from (the range is [from, to))");
  auto outside = api.backfill(
      range("10:00:00", "11:00:00", {event("e-1", "10:00:00"), event("e-3", "11:00:00"), event("e-2", "10:30:00")}));
  REQUIRE(outside.status == 422);
  CHECK(error_code(outside) == "invalid_backfill");
  const json::value problems = outside.json().at("errors");
  REQUIRE(problems.as_array().size() == 1);
  CHECK(problems.as_array()[0].at("path") == "$.events[1].occurred_at");
  // e-2 is stored at 12:00, outside [10:00, 11:00): posting it here is refused.
  auto elsewhere = api.backfill(range("10:00:00", "11:00:00", {event("e-1", "10:00:00"), event("e-2", "10:30:00")}));
  REQUIRE(elsewhere.status == 422);
  CHECK(elsewhere.json().at("errors").as_array()[0].at("path") == "$.events[1].event_id");
  CHECK(api.live() == original);
  CHECK(api.daemon.get("/v1/ingest/usage/backfills", api.viewer).json().at("backfills").as_array().empty());
}

TEST_CASE(
    "a revert is refused with 409 while a newer overlapping backfill is "
    "applied, and reverting newest first restores the original rows") {
  Backfills api;
  api.ingest({event("e-1", "10:00:00"), event("e-2", "10:45:00"), event("e-3", "11:30:00", "globex")});
  const Rows original = api.live();
  auto first = api.backfill(range("10:00:00", "11:00:00", {event("e-1", "10:00:00", "acme", 10)}));
  REQUIRE(first.status == 201);
  const Rows after_first = api.live();
  // Overlaps [10:30, 11:00) of the first; replaces none of the first's rows.
  auto second = api.backfill(range("10:30:00", "12:00:00", {event("e-4", "11:15:00")}));
  REQUIRE(second.status == 201);
  const std::string first_id(first.json().at("id").as_string());
  const std::string second_id(second.json().at("id").as_string());
  auto refused = api.revert(first_id);
  REQUIRE(refused.status == 409);
  CHECK(error_code(refused) == "backfill_overlapped");
  CHECK(refused.json().at("message") == json::value("backfill " + second_id +
                                                    " [2026-12-07T10:30:00.000000Z, "
                                                    "2026-12-07T12:00:00.000000Z) is newer, overlaps " +
                                                    first_id + " and is applied; revert it first"));
  REQUIRE(api.revert(second_id).status == 200);
  CHECK(api.live() == after_first);
  REQUIRE(api.revert(first_id).status == 200);
  CHECK(api.live() == original);
}

TEST_CASE(
    "events posted while a backfill runs are neither lost nor doubled: "
    "each is live or kept by the backfill, once") {
  Backfills api;
  json::array before;
  for (int i = 0; i < 500; ++i) before.push_back(event("old-" + std::to_string(i), "10:20:00"));
  api.ingest(before);
  json::array corrections;
  for (int i = 0; i < 2000; ++i) corrections.push_back(event("new-" + std::to_string(i), "10:40:00"));

  std::atomic<bool> done{false};
  std::atomic<int> posted{0};
  std::set<std::string> acknowledged;
  std::string failure;
  std::atomic<bool> failed{false};
  std::thread client([&] {
    // Until the backfill has answered, then once more: some posts land
    // before it, some wait for it, some come after.
    for (int batch = 0; !done || batch < 2; ++batch) {
      json::array events;
      for (int i = 0; i < 50; ++i) {
        events.push_back(
            event("live-" + std::to_string(batch) + "-" + std::to_string(i), i % 2 ? "10:30:00" : "11:30:00"));
      }
      // check = false: the OpenAPI check asserts with Catch, which only
      // the test's own thread may do (TSan saw the race).
      auto answer = api.daemon.request("POST", "/v1/ingest/usage", api.ingest_key, json::serialize(events), {}, false);
      if (answer.status != 200 || answer.json().at("accepted") != 50) {
        failure = answer.body;
        failed = true;
        return;
      }
      for (const auto& e : events) acknowledged.insert(std::string(e.at("event_id").as_string()));
      ++posted;
    }
  });
  while (posted == 0 && !failed) std::this_thread::yield();
  auto made = api.backfill(range("10:00:00", "11:00:00", corrections));
  done = true;
  client.join();
  INFO(made.body << failure);
  REQUIRE(failure.empty());
  REQUIRE(made.status == 201);
  const std::string id(made.json().at("id").as_string());
  CHECK(made.json().at("rows_inserted") == 2000);

  // Every acknowledged event once, live or kept by this backfill; the
  // corrections once each, live; nothing else.
  Rows live = api.rows("SELECT event_id FROM usage");
  Rows kept = api.rows("SELECT event_id FROM usage__replaced WHERE _sluice_backfill_id = '" + id + "'");
  std::multiset<std::string> all;
  for (const auto* rows : {&live, &kept}) {
    for (const auto& row : *rows) all.insert(row[0]);
  }
  std::multiset<std::string> expected(acknowledged.begin(), acknowledged.end());
  for (int i = 0; i < 500; ++i) expected.insert("old-" + std::to_string(i));
  for (int i = 0; i < 2000; ++i) expected.insert("new-" + std::to_string(i));
  CHECK(all == expected);
  CHECK(made.json().at("rows_replaced") == json::value(static_cast<int64_t>(kept.size())));
  // Nothing out of the range, and none of the corrections, was kept.
  CHECK(api.rows("SELECT COUNT(*) FROM usage__replaced WHERE event_id LIKE "
                 "'new-%' OR occurred_at >= '2026-12-07T11'") == Rows{{"0"}});
}

TEST_CASE("a gzip backfill body is inflated, as JSON and as NDJSON, and one that is not gzip is a 400 that changes nothing") {
  Backfills api;
  api.ingest({event("e-1", "10:00:00"), event("e-2", "10:10:00")});
  const std::string json_body = json::serialize(range("10:00:00", "10:05:00", {event("e-1", "10:00:00", "acme", 7)}));
  auto zipped = api.daemon.request("POST", "/v1/ingest/usage/backfills", api.operator_key, gzip(json_body),
                                   {{"Content-Encoding", "gzip"}});
  INFO(zipped.body);
  REQUIRE(zipped.status == 201);
  CHECK(zipped.json().at("rows_replaced") == 1);
  auto ndjson = api.daemon.request(
      "POST", "/v1/ingest/usage/backfills?from=2026-12-07T10:10:00Z&to=2026-12-07T10:20:00Z", api.operator_key,
      gzip(json::serialize(event("e-2", "10:10:00", "acme", 9)) + "\n"),
      {{"Content-Type", "application/x-ndjson"}, {"Content-Encoding", "gzip"}});
  INFO(ndjson.body);
  REQUIRE(ndjson.status == 201);
  CHECK(api.rows("SELECT event_id, units FROM usage ORDER BY event_id") == Rows{{"e-1", "7"}, {"e-2", "9"}});

  auto broken = api.daemon.request("POST", "/v1/ingest/usage/backfills", api.operator_key, json_body,
                                   {{"Content-Encoding", "gzip"}});
  CHECK(broken.status == 400);
  CHECK(error_code(broken) == "invalid_gzip");
  auto other = api.daemon.request("POST", "/v1/ingest/usage/backfills", api.operator_key, json_body,
                                  {{"Content-Encoding", "br"}});
  CHECK(other.status == 415);
  CHECK(error_code(other) == "unsupported_encoding");
  CHECK(api.rows("SELECT event_id, units FROM usage ORDER BY event_id") == Rows{{"e-1", "7"}, {"e-2", "9"}});
  CHECK(api.daemon.get("/v1/ingest/usage/backfills", api.operator_key).json().at("backfills").as_array().size() == 2);
}

TEST_CASE("a backfill left applying by a daemon killed after its commit is settled applied, and one killed before is "
          "removed: by the next listing once no backfill holds the stream's lock, or by the next backfill") {
  Backfills api;
  api.ingest({event("e-1", "10:00:00"), event("e-2", "10:10:00")});
  // Killed where the test asks (SLUICE_FAULT_POINT, read by the daemon at
  // start): the request gets no answer.
  auto killed_at = [&](const char* point, const json::object& body) {
    api.daemon.kill9();
    setenv("SLUICE_FAULT_POINT", point, 1);
    api.daemon.start();
    unsetenv("SLUICE_FAULT_POINT");
    CHECK_THROWS(api.backfill(body));
    api.daemon.kill9();  // reaps it
    api.daemon.start();
  };
  auto records = [&] { return api.daemon.get("/v1/ingest/usage/backfills", api.viewer).json().at("backfills"); };

  killed_at("backfill-committed", range("10:00:00", "10:05:00", {event("e-1", "10:00:00", "acme", 5)}));
  CHECK(api.rows("SELECT event_id, units FROM usage ORDER BY event_id") == Rows{{"e-1", "5"}, {"e-2", "1"}});
  std::string committed;
  {
    // While a backfill holds the stream's lock (this test's session, as
    // another daemon would), the record is listed as it is.
    sluice::host::IngestStream stream;
    REQUIRE(sluice::host::parse_ingest_stream(usage_stream(), stream).empty());
    sluice::host::IngestSession holder(sluice::host::open_target("sqlite://" + (api.dir.path() / "events.db").string()));
    const std::string key = sluice::host::backfill_lock_key(holder.target(), holder.prepare(stream));
    REQUIRE(holder.target().try_lock(key));
    REQUIRE(records().as_array().size() == 1);
    CHECK(records().at(0).at("state") == "applying");
    committed = std::string(records().at(0).at("id").as_string());
    holder.target().unlock(key);
  }
  // With the lock free, the listing settles it.
  REQUIRE(records().as_array().size() == 1);
  CHECK(records().at(0).at("state") == "applied");
  CHECK(records().at(0).at("rows_inserted") == 1);
  CHECK(records().at(0).at("rows_replaced") == 1);
  CHECK_THAT(api.daemon.log(), Catch::Contains("backfill " + committed +
                                               " of ingest stream usage was left applying by a daemon that stopped; "
                                               "its transaction committed (1 rows stored, 1 replaced): now applied"));

  // The next backfill settles one too, before its own work.
  killed_at("backfill-recorded", range("10:10:00", "10:15:00", {event("e-2", "10:10:00", "acme", 9)}));
  CHECK(api.rows("SELECT units FROM usage WHERE event_id = 'e-2'") == Rows{{"1"}});
  auto next = api.backfill(range("10:20:00", "10:30:00", {event("e-3", "10:20:00")}));
  REQUIRE(next.status == 201);
  const auto list = records().as_array();
  REQUIRE(list.size() == 2);
  for (const auto& record : list) CHECK(record.at("state") == "applied");
  CHECK_THAT(api.daemon.log(), Catch::Contains("before its transaction committed; nothing of it is in the target"));
  // Settled applied, it reverts like any other.
  REQUIRE(api.revert(committed).status == 200);
  CHECK(api.rows("SELECT event_id, units FROM usage ORDER BY event_id") ==
        Rows{{"e-1", "1"}, {"e-2", "1"}, {"e-3", "1"}});
}

TEST_CASE("an NDJSON backfill takes its range and customer from the query and its events one per line") {
  Backfills api;
  api.ingest({event("e-1", "10:00:00"), event("e-2", "10:10:00", "globex")});
  const std::string body = json::serialize(event("e-1", "10:00:00", "acme", 5)) + "\n" +
                           json::serialize(event("e-3", "10:20:00")) + "\n";
  auto made = api.daemon.request("POST",
                                 "/v1/ingest/usage/backfills?from=2026-12-07T10:00:00Z&to=2026-12-07T11:00:00Z&"
                                 "customer=acme",
                                 api.operator_key, body, {{"Content-Type", "application/x-ndjson"}});
  INFO(made.body);
  REQUIRE(made.status == 201);
  CHECK(made.json().at("customer") == "acme");
  CHECK(made.json().at("rows_replaced") == 1);
  CHECK(made.json().at("rows_inserted") == 2);
  CHECK(api.rows("SELECT event_id, customer, units FROM usage ORDER BY event_id") ==
        Rows{{"e-1", "acme", "5"}, {"e-2", "globex", "1"}, {"e-3", "acme", "1"}});
}
