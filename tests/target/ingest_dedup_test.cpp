// Push ingestion's write on every engine (host/ingest/ingest_writer.hpp):
// an id is stored once, whoever writes it and however late, and the writer
// learns which of its rows it stored and which were there first (with
// their first arrival's time), the same on SQLite, PostgreSQL and MariaDB.
#include "host/ingest/event_batch.hpp"
#include "host/ingest/ingest_writer.hpp"
#include "target/ingest_declaration.hpp"
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

using namespace sluice::test;
using sluice::host::EventBatch;
using sluice::host::EventStatus;
using sluice::host::IngestSession;
using sluice::host::IngestStream;
using sluice::host::IngestTable;
using sluice::support::Timestamp;

namespace {

IngestStream usage_stream(const std::string& id_type) {
  return declared_stream("usage",
                         {{"event_id", {{"type", id_type}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"units", {{"type", "integer"}}}},
                         {{"late_after_seconds", 3600}});
}

// NDJSON events with these ids, units = 10 * the position.
std::string events(const std::vector<json::value>& ids, const std::string& at = "2026-12-07T10:00:00Z") {
  std::string out;
  int units = 0;
  for (const auto& id : ids) {
    out += json::serialize(json::object{{"event_id", id}, {"occurred_at", at}, {"units", 10 * ++units}}) + "\n";
  }
  return out;
}

std::vector<json::value> text_ids(int first, int last) {
  std::vector<json::value> out;
  for (int i = first; i <= last; ++i) out.emplace_back("e-" + std::to_string(1000 + i));
  return out;
}

const Timestamp kFirstArrival{*sluice::support::parse_rfc3339("2026-12-07T10:30:00.123456Z")};
const Timestamp kSecondArrival{*sluice::support::parse_rfc3339("2026-12-07T12:00:00Z")};

std::vector<std::string> statuses(const EventBatch& batch) {
  std::vector<std::string> out;
  for (const auto& outcome : batch.outcomes) out.push_back(sluice::host::to_string(outcome.status));
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("an ingest write stores each new id once and reports the others as duplicates with their first arrival's time",
                   "[target][ingest]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const IngestStream stream = usage_stream("string");
  IngestSession session(sluice::host::open_target(f.db->url()));
  const IngestTable& table = session.prepare(stream);

  EventBatch first = sluice::host::read_event_batch(events(text_ids(1, 5)), stream, table, "req-a", kFirstArrival, 100);
  session.write(table, first, "req-a");
  CHECK(statuses(first) == std::vector<std::string>(5, "accepted"));

  // Events of 10:00 that arrived at 10:30 are in time (the horizon is an
  // hour); at 12:00 they are late.
  // Later, in another session: 4 and 5 again (other payloads), 6 to 8 new,
  // 7 twice in the request.
  IngestSession later(sluice::host::open_target(f.db->url()));
  const IngestTable& same = later.prepare(stream);
  auto ids = text_ids(4, 8);
  ids.push_back(json::value("e-1007"));
  EventBatch second = sluice::host::read_event_batch(events(ids), stream, same, "req-b", kSecondArrival, 100);
  later.write(same, second, "req-b");
  CHECK(statuses(second) ==
        std::vector<std::string>{"duplicate", "duplicate", "accepted", "accepted", "accepted", "duplicate"});
  CHECK(second.outcomes[0].first_received_at == "2026-12-07T10:30:00.123456Z");
  CHECK(second.outcomes[1].first_received_at == "2026-12-07T10:30:00.123456Z");
  CHECK(second.outcomes[5].first_received_at == "2026-12-07T12:00:00.000000Z");  // its first copy, in this request

  const std::string usage = f.db->table_sql("", "usage");
  CHECK(f.rows("SELECT event_id, units, _sluice_sync_id, CASE WHEN _sluice_late THEN 1 ELSE 0 END FROM " + usage +
               " ORDER BY event_id") == Rows{{"e-1001", "10", "req-a", "0"},
                                              {"e-1002", "20", "req-a", "0"},
                                              {"e-1003", "30", "req-a", "0"},
                                              {"e-1004", "40", "req-a", "0"},
                                              {"e-1005", "50", "req-a", "0"},
                                              {"e-1006", "30", "req-b", "1"},
                                              {"e-1007", "40", "req-b", "1"},
                                              {"e-1008", "50", "req-b", "1"}});
}

TEMPLATE_TEST_CASE("integer ids keep every digit (past 2^53) and are deduplicated as integers",
                   "[target][ingest]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const IngestStream stream = usage_stream("integer");
  IngestSession session(sluice::host::open_target(f.db->url()));
  const IngestTable& table = session.prepare(stream);
  EventBatch first = sluice::host::read_event_batch(events({42, 9007199254740993LL}), stream, table, "req-a",
                                                    kFirstArrival, 100);
  session.write(table, first, "req-a");
  CHECK(statuses(first) == std::vector<std::string>{"accepted", "accepted"});
  CHECK(first.outcomes[1].id == "9007199254740993");  // past 2^53: never through a double
  EventBatch again = sluice::host::read_event_batch(events({9007199254740993LL, 9007199254740992LL, 42}), stream,
                                                    table, "req-b", kSecondArrival, 100);
  session.write(table, again, "req-b");
  CHECK(statuses(again) == std::vector<std::string>{"duplicate", "accepted", "duplicate"});
  CHECK(f.count("usage") == 3);
}

TEMPLATE_TEST_CASE("two sessions writing overlapping ids at once store each id once, each accepted by exactly one",
                   "[target][ingest]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const IngestStream stream = usage_stream("string");
  IngestSession a(sluice::host::open_target(f.db->url()));
  IngestSession b(sluice::host::open_target(f.db->url()));
  const IngestTable& table_a = a.prepare(stream);
  const IngestTable& table_b = b.prepare(stream);
  EventBatch batch_a = sluice::host::read_event_batch(events(text_ids(1, 400)), stream, table_a, "req-a",
                                                      kFirstArrival, 1000);
  EventBatch batch_b = sluice::host::read_event_batch(events(text_ids(200, 600)), stream, table_b, "req-b",
                                                      kSecondArrival, 1000);
  std::atomic<int> ready{0};
  std::string error_a, error_b;
  auto run = [&](IngestSession& session, const IngestTable& table, EventBatch& batch, const char* request,
                 std::string& error) {
    ++ready;
    while (ready < 2) std::this_thread::yield();
    try {
      session.write(table, batch, request);
    } catch (const std::exception& e) {
      error = e.what();
    }
  };
  std::thread ta(run, std::ref(a), std::cref(table_a), std::ref(batch_a), "req-a", std::ref(error_a));
  std::thread tb(run, std::ref(b), std::cref(table_b), std::ref(batch_b), "req-b", std::ref(error_b));
  ta.join();
  tb.join();
  INFO(error_a << error_b);
  REQUIRE(error_a.empty());
  REQUIRE(error_b.empty());
  std::multiset<std::string> accepted;
  for (const EventBatch* batch : {&batch_a, &batch_b}) {
    for (const auto& outcome : batch->outcomes) {
      if (outcome.status == EventStatus::accepted) accepted.insert(outcome.id);
      else CHECK(outcome.status == EventStatus::duplicate);
    }
  }
  CHECK(accepted.size() == 600);
  CHECK(std::set<std::string>(accepted.begin(), accepted.end()).size() == 600);
  CHECK(f.count("usage") == 600);
}
