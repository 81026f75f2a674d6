// Backfills on every engine (host/ingest/backfill.hpp, target/kept_rows.hpp):
// a backfill replaces exactly the events of its range (and customer) in one
// transaction, keeping the replaced rows, and its revert puts back exactly
// the rows that were there; what must not happen is refused whole, with
// nothing changed, the same on SQLite, PostgreSQL and MariaDB.
#include "host/ingest/backfill.hpp"
#include "host/ingest/event_batch.hpp"
#include "host/ingest/ingest_writer.hpp"
#include "target/ingest_declaration.hpp"
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;
using sluice::host::BackfillRefused;
using sluice::host::BackfillRequest;
using sluice::host::EventBatch;
using sluice::host::IngestSession;
using sluice::host::IngestStream;
using sluice::host::IngestTable;
using sluice::support::Timestamp;

namespace {

IngestStream usage_stream() {
  return declared_stream("usage",
                         {{"event_id", {{"type", "string"}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"customer", {{"type", "string"}}},
                          {"units", {{"type", "integer"}}}},
                         {{"customer_field", "customer"}, {"late_after_seconds", 0}});
}

json::object event(const std::string& id, const std::string& at, const std::string& customer, int64_t units) {
  return {{"event_id", id}, {"occurred_at", "2026-12-07T" + at + "Z"}, {"customer", customer}, {"units", units}};
}

const Timestamp kArrival{*sluice::support::parse_rfc3339("2026-12-07T13:00:00Z")};
const Timestamp kLater{*sluice::support::parse_rfc3339("2026-12-07T14:00:00Z")};

// What an ingest request stores.
void ingest(IngestSession& session, const IngestTable& table, const IngestStream& stream, const json::array& events,
            const std::string& request_id, Timestamp at = kArrival) {
  EventBatch batch = sluice::host::read_event_batch(json::serialize(events), stream, table, request_id, at, 100);
  session.write(table, batch, request_id);
}

BackfillRequest request(const std::string& from, const std::string& to, std::optional<std::string> customer,
                        const json::array& events, const IngestStream& stream) {
  json::object body{{"from", "2026-12-07T" + from + "Z"}, {"to", "2026-12-07T" + to + "Z"}, {"events", events}};
  if (customer) body["customer"] = *customer;
  BackfillRequest out;
  const auto problems = sluice::host::parse_backfill_request(body, stream, out);
  REQUIRE(problems.empty());
  return out;
}

sluice::host::BackfillCounts backfill(IngestSession& session, const IngestTable& table, const IngestStream& stream,
                                      const BackfillRequest& req, const std::string& id) {
  EventBatch batch = sluice::host::read_backfill_events(req, stream, table, id, kLater, 100);
  return sluice::host::apply_backfill(session, stream, table, req, batch, id);
}

// Every column of every live row that says what was stored and by whom.
Rows live_rows(TargetFixture& f) {
  return f.rows(
      "SELECT event_id, customer, units, _sluice_sync_id, "
      "_sluice_extracted_at, occurred_at FROM " +
      f.db->table_sql("", "usage") + " ORDER BY event_id");
}

Rows kept_rows(TargetFixture& f) {
  return f.rows("SELECT _sluice_backfill_id, event_id, units, _sluice_sync_id FROM " +
                f.db->table_sql("", "usage__replaced") + " ORDER BY _sluice_backfill_id, event_id");
}

// A day of usage: acme and globex, before, in and after 10:00-11:00.
json::array day() {
  return {event("e-1", "09:59:59.999999", "acme", 1), event("e-2", "10:00:00", "acme", 2),
          event("e-3", "10:30:00", "globex", 3),      event("e-4", "10:59:59.999999", "acme", 4),
          event("e-5", "11:00:00", "acme", 5),        event("e-6", "10:45:00", "acme", 6)};
}

// Where every case starts: the usage stream on the engine, its tables
// prepared through a session of its own, and day() ingested.
struct IngestedDay {
  explicit IngestedDay(Engine engine)
      : f(engine), session(sluice::host::open_target(f.db->url())), table(session.prepare(stream)) {
    ingest(session, table, stream, day(), "req-a");
  }
  TargetFixture f;
  const IngestStream stream = usage_stream();
  IngestSession session;
  const IngestTable& table;
};

}  // namespace

TEMPLATE_TEST_CASE(
    "a backfill replaces exactly its range's events of its customer, keeps "
    "them, and its revert leaves exactly the original rows",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  const Rows original = live_rows(f);

  // [10:00, 11:00) of acme: e-2, e-4 and e-6 go; e-2 comes back corrected,
  // e-7 is new; e-1 (before), e-5 (at the end, excluded) and globex's e-3 stay.
  IngestSession own(sluice::host::open_target(f.db->url()));
  const IngestTable& same = own.prepare(stream);
  const auto counts =
      backfill(own, same, stream,
               request("10:00:00", "11:00:00", "acme",
                       {event("e-2", "10:00:00", "acme", 20), event("e-7", "10:15:00", "acme", 70)}, stream),
               "bf_1");
  CHECK(counts.replaced == 3);
  CHECK(counts.inserted == 2);
  CHECK(f.rows("SELECT event_id, customer, units, _sluice_sync_id FROM " + f.db->table_sql("", "usage") +
               " ORDER BY event_id") == Rows{{"e-1", "acme", "1", "req-a"},
                                             {"e-2", "acme", "20", "bf_1"},
                                             {"e-3", "globex", "3", "req-a"},
                                             {"e-5", "acme", "5", "req-a"},
                                             {"e-7", "acme", "70", "bf_1"}});
  CHECK(kept_rows(f) ==
        Rows{{"bf_1", "e-2", "2", "req-a"}, {"bf_1", "e-4", "4", "req-a"}, {"bf_1", "e-6", "6", "req-a"}});

  const auto reverted = sluice::host::revert_backfill(own, stream, same, "bf_1");
  CHECK(reverted.removed == 2);
  CHECK(reverted.restored == 3);
  CHECK(live_rows(f) == original);
  CHECK(kept_rows(f).empty());
  // Again: nothing left to remove or put back.
  const auto again = sluice::host::revert_backfill(own, stream, same, "bf_1");
  CHECK(again.removed == 0);
  CHECK(again.restored == 0);
  CHECK(live_rows(f) == original);
}

TEMPLATE_TEST_CASE(
    "a backfill without a customer replaces every customer's "
    "events of its range, and an empty one only removes them",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  const Rows original = live_rows(f);
  const auto counts =
      backfill(session, table, stream, request("10:00:00", "11:00:00", std::nullopt, {}, stream), "bf_1");
  CHECK(counts.replaced == 4);
  CHECK(counts.inserted == 0);
  CHECK(f.rows("SELECT event_id FROM " + f.db->table_sql("", "usage") + " ORDER BY event_id") ==
        Rows{{"e-1"}, {"e-5"}});
  sluice::host::revert_backfill(session, stream, table, "bf_1");
  CHECK(live_rows(f) == original);
}

TEMPLATE_TEST_CASE(
    "an event outside the range or of another customer, and an id stored "
    "outside what the backfill replaces, refuse it whole with each path",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  const Rows original = live_rows(f);

  // Read before any write: the range's end is excluded, the customer is one.
  const auto outside = request("10:00:00", "11:00:00", "acme",
                               {event("e-5", "11:00:00", "acme", 50),
                                event("e-2", "10:00:00", "acme", 20),
                                event("e-8", "10:10:00", "globex", 80),
                                json::object{{"event_id", "e-9"}}},
                               stream);
  try {
    backfill(session, table, stream, outside, "bf_1");
    FAIL("the backfill was applied");
  } catch (const BackfillRefused& e) {
    CHECK(e.status() == 422);
    std::vector<std::string> paths;
    for (const auto& problem : e.problems()) paths.push_back(problem.path + ": " + problem.message);
    CHECK(paths == std::vector<std::string>{"$.events[0].occurred_at: 2026-12-07T11:00:00.000000Z is outside "
                                            "the backfill's range "
                                            "[2026-12-07T10:00:00.000000Z, 2026-12-07T11:00:00.000000Z)",
                                            "$.events[2].customer: is not the backfill's customer acme",
                                            "$.events[3].occurred_at: required property missing",
                                            "$.events[3].customer: required property missing"});
  }
  // In the transaction: e-5 (11:00) and globex's e-3 are stored outside
  // what a backfill of acme's [10:00, 11:00) replaces.
  const auto stored_elsewhere = request("10:00:00", "11:00:00", "acme",
                                        {event("e-2", "10:00:00", "acme", 20), event("e-5", "10:20:00", "acme", 50),
                                         event("e-3", "10:30:00", "acme", 30)},
                                        stream);
  try {
    backfill(session, table, stream, stored_elsewhere, "bf_2");
    FAIL("the backfill was applied");
  } catch (const BackfillRefused& e) {
    CHECK(e.status() == 422);
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].path == "$.events[1].event_id");
    CHECK(e.problems()[1].path == "$.events[2].event_id");
    CHECK_THAT(e.problems()[1].message,
               Catch::StartsWith("id e-3 is stored already outside what the backfill replaces"));
    CHECK_THAT(e.problems()[1].message, Catch::Contains("first received at 2026-12-07T13:00:00.000000Z"));
  }
  CHECK(live_rows(f) == original);
  CHECK(kept_rows(f).empty());
}

TEMPLATE_TEST_CASE(
    "a revert is refused while a newer backfill holds rows the "
    "older one stored, and works newest first",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  const Rows original = live_rows(f);
  backfill(session, table, stream,
           request("10:00:00", "11:00:00", "acme", {event("e-2", "10:00:00", "acme", 20)}, stream), "bf_1");
  const Rows after_first = live_rows(f);
  backfill(session, table, stream,
           request("09:00:00", "10:30:00", std::nullopt, {event("e-2", "10:00:00", "acme", 200)}, stream), "bf_2");
  try {
    sluice::host::revert_backfill(session, stream, table, "bf_1");
    FAIL("the older backfill was reverted");
  } catch (const BackfillRefused& e) {
    CHECK(e.status() == 409);
    CHECK(std::string(e.what()) ==
          "1 rows backfill bf_1 stored were replaced "
          "by a newer backfill that is still "
          "applied; revert that one first");
  }
  sluice::host::revert_backfill(session, stream, table, "bf_2");
  CHECK(live_rows(f) == after_first);
  sluice::host::revert_backfill(session, stream, table, "bf_1");
  CHECK(live_rows(f) == original);
  CHECK(kept_rows(f).empty());
}

TEMPLATE_TEST_CASE(
    "a revert is refused when an id it would put back was "
    "posted again since, and changes nothing",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  backfill(session, table, stream, request("10:00:00", "11:00:00", "acme", {}, stream), "bf_1");
  // e-4 was removed by the backfill: posted again, it is new.
  ingest(session, table, stream, {event("e-4", "10:59:00", "acme", 44)}, "req-b");
  const Rows before = live_rows(f);
  try {
    sluice::host::revert_backfill(session, stream, table, "bf_1");
    FAIL("the backfill was reverted");
  } catch (const BackfillRefused& e) {
    CHECK(e.status() == 409);
    CHECK(e.code() == "ids_stored_again");
  }
  CHECK(live_rows(f) == before);
  CHECK(kept_rows(f).size() == 3);
}

TEMPLATE_TEST_CASE(
    "a backfill's trace in the target tells one that committed, with its rows "
    "stored and kept, from one that never did",
    "[target][ingest][backfill]", SLUICE_ALL_TARGETS) {
  IngestedDay d(TestType::engine);
  auto& [f, stream, session, table] = d;
  backfill(session, table, stream,
           request("10:00:00", "11:00:00", "acme",
                   {event("e-2", "10:00:00", "acme", 20), event("e-7", "10:15:00", "acme", 70)}, stream),
           "bf_1");
  const auto committed = sluice::host::backfill_trace(session, table, "bf_1");
  CHECK(committed.stored == 2);
  CHECK(committed.kept == 3);
  CHECK(committed.committed());
  // A newer backfill replaces one of bf_1's rows: still bf_1's, now kept.
  backfill(session, table, stream, request("10:00:00", "10:05:00", "acme", {}, stream), "bf_2");
  CHECK(sluice::host::backfill_trace(session, table, "bf_1").stored == 2);
  const auto never = sluice::host::backfill_trace(session, table, "bf_never");
  CHECK(never.stored == 0);
  CHECK(never.kept == 0);
  CHECK_FALSE(never.committed());
}
