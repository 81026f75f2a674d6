// Push ingestion against the running daemon (docs/ingest.md): ingest
// streams, POST /v1/ingest/{stream} with its per-event answers, dedup
// within and across requests, concurrent posts of the same ids, a kill -9
// in the middle of ingestion, bad bodies, limits and the ingest role. Every
// JSON answer is checked against the OpenAPI document by the fixture; the
// events are read back from the target's SQLite file.
#include "common/sqlite_reader.hpp"
#include "host/serve/rate_limiter.hpp"
#include "serve/daemon_fixture.hpp"

#include <sluice/support/timestamp.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

json::object usage_stream(const std::string& name, int64_t late_after_seconds = 86400) {
  json::object properties{{"event_id", {{"type", "string"}}},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"customer", {{"type", "string"}}},
                          {"units", {{"type", "integer"}}},
                          {"amount", {{"type", "number"}}},
                          {"meta", {{"type", "object"}}}};
  return {{"name", name},
          {"schema", {{"type", "object"}, {"properties", properties}}},
          {"id_field", "event_id"},
          {"time_field", "occurred_at"},
          {"customer_field", "customer"},
          {"late_after_seconds", late_after_seconds}};
}

json::object event(const std::string& id, int64_t units = 1, const std::string& at = "2026-12-07T10:00:00Z") {
  return {{"event_id", id}, {"occurred_at", at}, {"customer", "acme"}, {"units", units}};
}

std::string ndjson(const json::array& events) {
  std::string out;
  for (const auto& e : events) out += json::serialize(e) + "\n";
  return out;
}

// Events "<prefix>-<first>" .. "<prefix>-<last>".
json::array numbered(const std::string& prefix, int first, int last) {
  json::array out;
  for (int i = first; i <= last; ++i) out.push_back(event(prefix + "-" + std::to_string(i), i));
  return out;
}


struct Ingest {
  TempDir dir;
  Daemon daemon;
  std::string admin, ingest_key, viewer;
  explicit Ingest(json::object settings = {})
      : daemon(dir.path(), with_target(std::move(settings), dir.path())) {
    admin = daemon.create_key("admin");
    ingest_key = daemon.create_key("ingest");
    viewer = daemon.create_key("viewer");
    daemon.start();
  }
  static json::object with_target(json::object settings, const std::filesystem::path& dir) {
    json::object ingest = settings.contains("ingest") ? settings["ingest"].as_object() : json::object{};
    ingest["default_target"] = "sqlite://" + (dir / "events.db").string();
    settings["ingest"] = ingest;
    return settings;
  }
  void declare(const json::object& stream) { REQUIRE(daemon.post("/v1/ingest-streams", admin, stream).status == 201); }
  HttpAnswer post(const std::string& stream, const std::string& body, std::map<std::string, std::string> headers = {}) {
    return daemon.request("POST", "/v1/ingest/" + stream, ingest_key, body, headers);
  }
  json::value post_ok(const std::string& stream, const json::array& events) {
    auto answer = post(stream, json::serialize(events));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return answer.json();
  }
  std::string db() const { return (dir.path() / "events.db").string(); }
  Rows rows(const std::string& sql) const { return sqlite_rows(db(), sql); }
};

std::vector<std::string> statuses(const json::value& answer) {
  std::vector<std::string> out;
  for (const auto& e : answer.at("events").as_array()) out.emplace_back(e.at("status").as_string());
  return out;
}

}  // namespace

TEST_CASE("an ingest stream is declared, listed, read, replaced and deleted by an admin and a bad declaration is a 422 naming each field") {
  Ingest api;
  auto made = api.daemon.post("/v1/ingest-streams", api.admin, usage_stream("usage"));
  REQUIRE(made.status == 201);
  CHECK(made.json().at("target") == json::value("sqlite://" + api.db()));
  CHECK(made.json().at("id_field") == "event_id");
  CHECK(api.daemon.post("/v1/ingest-streams", api.admin, usage_stream("usage")).status == 409);
  CHECK(api.daemon.post("/v1/ingest-streams", api.ingest_key, usage_stream("other")).status == 403);
  auto listed = api.daemon.get("/v1/ingest-streams", api.viewer).json();
  REQUIRE(listed.at("ingest_streams").as_array().size() == 1);
  CHECK(listed.at("ingest_streams").as_array()[0].at("name") == "usage");

  json::object bad = usage_stream("bad name!");
  bad["id_field"] = "amount";
  bad["time_field"] = "customer";
  bad["late_after_seconds"] = -1;
  bad["schema"].as_object()["properties"].as_object()["units"] = json::object{{"type", "integr"}};
  auto refused = api.daemon.post("/v1/ingest-streams", api.admin, bad);
  REQUIRE(refused.status == 422);
  CHECK(refused.json().at("code") == "invalid_ingest_stream");
  std::set<std::string> paths;
  const json::value problems = refused.json();
  for (const auto& e : problems.at("errors").as_array()) paths.insert(std::string(e.at("path").as_string()));
  CHECK(paths == std::set<std::string>{"name", "schema /properties/units/type", "id_field", "time_field",
                                       "late_after_seconds"});

  json::object changed = usage_stream("usage", 3600);
  changed.erase("name");
  auto replaced = api.daemon.request("PUT", "/v1/ingest-streams/usage", api.admin, json::serialize(changed));
  REQUIRE(replaced.status == 200);
  CHECK(api.daemon.get("/v1/ingest-streams/usage", api.viewer).json().at("late_after_seconds") == 3600);
  CHECK(api.daemon.request("DELETE", "/v1/ingest-streams/usage", api.admin).status == 204);
  CHECK(api.daemon.get("/v1/ingest-streams/usage", api.viewer).status == 404);
  auto gone = api.post("usage", ndjson({event("e-1")}));
  CHECK(gone.status == 404);
  CHECK(gone.json().at("code") == "ingest_stream_not_found");
}

TEST_CASE("an id is stored once: its repeat in the same request and in a later request is a duplicate with the first arrival's time") {
  Ingest api;
  api.declare(usage_stream("usage"));
  auto first = api.post_ok("usage", {event("e-1", 1), event("e-2", 2), event("e-1", 99)});
  CHECK(statuses(first) == std::vector<std::string>{"accepted", "accepted", "duplicate"});
  const std::string received(first.at("received_at").as_string());
  CHECK(first.at("events").as_array()[2].at("first_received_at") == json::value(received));
  CHECK(first.at("accepted") == 2);
  CHECK(first.at("duplicate") == 1);

  // A later request, NDJSON this time: e-2 again (another payload), e-3 new.
  auto second = api.post("usage", ndjson({event("e-2", 7), event("e-3", 3)}), {{"Content-Type", "application/x-ndjson"}});
  REQUIRE(second.status == 200);
  CHECK(statuses(second.json()) == std::vector<std::string>{"duplicate", "accepted"});
  CHECK(second.json().at("events").as_array()[0].at("first_received_at") == json::value(received));
  const std::string metrics = api.daemon.get("/metrics", api.viewer).body;
  CHECK_THAT(metrics, Catch::Contains("sluice_ingest_events_total{status=\"accepted\"} 3\n"));
  CHECK_THAT(metrics, Catch::Contains("sluice_ingest_events_total{status=\"duplicate\"} 2\n"));
  CHECK_THAT(metrics, Catch::Contains("sluice_ingest_events_total{status=\"rejected\"} 0\n"));

  // The first copy stays, whole: the repeat's payload never lands.
  CHECK(api.rows("SELECT event_id, units, _sluice_extracted_at, _sluice_sync_id FROM usage ORDER BY event_id") ==
        Rows{{"e-1", "1", received, std::string(first.at("request_id").as_string())},
             {"e-2", "2", received, std::string(first.at("request_id").as_string())},
             {"e-3", "3", std::string(second.json().at("received_at").as_string()),
              std::string(second.json().at("request_id").as_string())}});
}

TEST_CASE("events are validated and typed like synced records: each bad one is rejected with its JSON path, the others stored") {
  Ingest api;
  api.declare(usage_stream("usage"));
  json::array events{
      json::object{{"event_id", "ok-1"}, {"occurred_at", "2026-12-07T11:30:00.5+01:00"}, {"customer", "acme"},
                   {"units", 42}, {"amount", 12.25}, {"meta", {{"plan", "pro"}}}, {"note", "kept"}},
      json::object{{"event_id", "bad-units"}, {"occurred_at", "2026-12-07T10:00:00Z"}, {"customer", "acme"},
                   {"units", "many"}},
      json::object{{"occurred_at", "2026-12-07T10:00:00Z"}, {"customer", "acme"}},
      json::object{{"event_id", "bad-time"}, {"occurred_at", "2026-02-30T10:00:00Z"}, {"customer", "acme"}},
      json::object{{"event_id", "null-customer"}, {"occurred_at", "2026-12-07T10:00:00Z"}, {"customer", nullptr}},
      json::value("not an object"),
      json::object{{"event_id", "big"}, {"occurred_at", "2026-12-07T10:00:00Z"}, {"customer", "acme"},
                   {"units", 18446744073709551615ULL}}};
  auto answer = api.post_ok("usage", events);
  CHECK(statuses(answer) == std::vector<std::string>{"accepted", "rejected", "rejected", "rejected", "rejected",
                                                     "rejected", "rejected"});
  auto errors = [&](size_t i) {
    std::vector<std::string> out;
    for (const auto& e : answer.at("events").as_array()[i].at("errors").as_array()) {
      out.push_back(std::string(e.at("path").as_string()) + ": " + std::string(e.at("message").as_string()));
    }
    return out;
  };
  CHECK(errors(1) == std::vector<std::string>{"$[1].units: expected integer, got string"});
  CHECK(errors(2) == std::vector<std::string>{"$[2].event_id: required property missing"});
  CHECK_THAT(errors(3).at(0), Catch::StartsWith("$[3].occurred_at: "));
  CHECK_THAT(errors(4).at(0), Catch::StartsWith("$[4].customer: "));
  CHECK(errors(5) == std::vector<std::string>{"$[5]: expected object, got string"});
  CHECK(errors(6) == std::vector<std::string>{"$[6].units: does not fit a integer column exactly"});
  // Typed as a sync types them: the integer string as an integer, the
  // instant in UTC, the object as JSON, the unknown field in _sluice_extra.
  CHECK(api.rows("SELECT event_id, occurred_at, units, typeof(units), amount, meta, _sluice_extra, _sluice_uncast, "
                 "_sluice_late FROM usage") ==
        Rows{{"ok-1", "2026-12-07T10:30:00.500000Z", "42", "integer", "12.25", R"({"plan":"pro"})",
              R"({"note":"kept"})", "NULL", "0"}});
}

TEST_CASE("a body that is not JSON is a 400 that stores nothing, and a bad NDJSON line rejects only itself") {
  Ingest api;
  api.declare(usage_stream("usage"));
  auto broken = api.post("usage", R"([{"event_id": "e-1", "occurred_at": "2026-12-07T10:00:00Z", "customer": "a"},)");
  CHECK(broken.status == 400);
  CHECK(broken.json().at("code") == "invalid_json");
  CHECK_THAT(std::string(broken.json().at("message").as_string()),
             Catch::StartsWith("the request body is not valid JSON at byte "));
  CHECK(api.post("usage", " \n ").status == 400);
  auto lines = api.post("usage", json::serialize(event("e-1")) + "\n{\"event_id\": \"e-2\",\n" +
                                     json::serialize(event("e-3")) + "\n");
  REQUIRE(lines.status == 200);
  CHECK(statuses(lines.json()) == std::vector<std::string>{"accepted", "rejected", "accepted"});
  CHECK_THAT(std::string(lines.json().at("events").as_array()[1].at("errors").as_array()[0].at("message").as_string()),
             Catch::StartsWith("not valid JSON at byte "));
  CHECK(api.rows("SELECT event_id FROM usage ORDER BY event_id") == Rows{{"e-1"}, {"e-3"}});
  // A schema that does not say "type": "object" still takes objects only.
  json::object loose = usage_stream("loose");
  loose["schema"].as_object().erase("type");
  api.declare(loose);
  auto mixed = api.post("loose", "[\"text\", 42, " + json::serialize(event("l-1")) + "]");
  REQUIRE(mixed.status == 200);
  CHECK(statuses(mixed.json()) == std::vector<std::string>{"rejected", "rejected", "accepted"});
  CHECK(mixed.json().at("events").as_array()[1].at("errors") ==
        json::parse(R"([{"path": "$[1]", "message": "expected object, got integer"}])"));
}

TEST_CASE("huge and deeply nested payloads: over the body limit or 10,000 events is a 413, nesting past 32 levels a rejection") {
  Ingest api({{"ingest", {{"max_request_bytes", 2000000}, {"max_decompressed_bytes", 3000000}}}});
  api.declare(usage_stream("usage"));
  {
    // Refused on its Content-Length, before a byte of it is read (so the
    // client sends none: the daemon closes the connection after a 413).
    auto refused = api.daemon.announce("/v1/ingest/usage", api.ingest_key, 2000001);
    CHECK(refused.status == 413);
    CHECK(refused.json() == json::parse(R"({"code":"too_large",
        "message":"the request body is larger than 2000000 bytes"})"));
  }
  std::string many;
  for (int i = 0; i <= 10000; ++i) many += "{}\n";
  auto too_many = api.post("usage", many);
  CHECK(too_many.status == 413);
  CHECK(too_many.json() == json::parse(R"({"code":"too_many_events",
      "message":"a request holds at most 10000 events; send the rest in another request"})"));
  // Gzip: inflated up to its own cap, then refused.
  auto zipped = api.post("usage", gzip(ndjson({event("z-1")})), {{"Content-Encoding", "gzip"}});
  REQUIRE(zipped.status == 200);
  CHECK(statuses(zipped.json()) == std::vector<std::string>{"accepted"});
  auto bomb = api.post("usage", gzip(std::string(3000001, ' ')), {{"Content-Encoding", "gzip"}});
  CHECK(bomb.status == 413);
  CHECK(bomb.json().at("message") == "the request body is larger than 3000000 bytes once decompressed");
  auto not_gzip = api.post("usage", "not gzip", {{"Content-Encoding", "gzip"}});
  CHECK(not_gzip.status == 400);
  CHECK(not_gzip.json().at("code") == "invalid_gzip");
  CHECK(api.post("usage", "{}", {{"Content-Encoding", "br"}}).status == 415);

  std::string deep = "{\"event_id\": \"deep\", \"occurred_at\": \"2026-12-07T10:00:00Z\", \"customer\": \"a\", \"meta\": ";
  for (int i = 0; i < 40; ++i) deep += "{\"a\": ";
  deep += "1" + std::string(40, '}') + "}";
  auto nested = api.post("usage", deep + "\n" + json::serialize(event("shallow")) + "\n");
  REQUIRE(nested.status == 200);
  CHECK(statuses(nested.json()) == std::vector<std::string>{"rejected", "accepted"});
  CHECK_THAT(std::string(nested.json().at("events").as_array()[0].at("errors").as_array()[0].at("message").as_string()),
             Catch::StartsWith("nested deeper than 32 levels at byte "));
  // In an array the whole body is refused: its nesting is past the limit.
  auto nested_array = api.post("usage", "[" + deep + "]");
  CHECK(nested_array.status == 400);
  CHECK(api.rows("SELECT event_id FROM usage ORDER BY event_id") == Rows{{"shallow"}, {"z-1"}});
}

TEST_CASE("an ingest key may only ingest, and a key over its rate limit gets 429 with Retry-After") {
  Ingest api({{"ingest", {{"rate_limit", {{"requests_per_second", 1}, {"burst", 2}}}}}});
  api.declare(usage_stream("usage"));
  CHECK(api.daemon.get("/v1/ingest-streams", api.ingest_key).status == 403);
  CHECK(api.daemon.get("/v1/connections", api.ingest_key).status == 403);
  auto by_viewer = api.daemon.request("POST", "/v1/ingest/usage", api.viewer, ndjson({event("v-1")}));
  CHECK(by_viewer.status == 403);
  CHECK(by_viewer.json().at("message") == "this needs the ingest, operator or admin role; the key has viewer");
  // The burst of 2, then the bucket is empty (it refills one a second:
  // far slower than these requests follow each other).
  CHECK(api.post("usage", ndjson({event("r-1")})).status == 200);
  CHECK(api.post("usage", ndjson({event("r-2")})).status == 200);
  auto limited = api.post("usage", ndjson({event("r-3")}));
  REQUIRE(limited.status == 429);
  CHECK(limited.headers.at("Retry-After") == "1");
  CHECK(limited.json().at("code") == "rate_limited");
  // Per key: the admin's bucket is its own.
  CHECK(api.daemon.request("POST", "/v1/ingest/usage", api.admin, ndjson({event("r-3")})).status == 200);
  CHECK(api.rows("SELECT event_id FROM usage ORDER BY event_id") == Rows{{"r-1"}, {"r-2"}, {"r-3"}});
}

TEST_CASE("the rate limiter refills each key's bucket by the clock and says how long to wait") {
  auto now = std::chrono::steady_clock::time_point{};
  sluice::host::serve::RateLimiter limiter(0.5, 2, [&] { return now; });
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 2);  // one token takes 2 s at 0.5 a second
  CHECK(limiter.take("b") == 0);
  now += std::chrono::seconds(1);
  CHECK(limiter.take("a") == 1);
  now += std::chrono::seconds(1);
  CHECK(limiter.take("a") == 0);
  now += std::chrono::seconds(60);  // never more than the burst
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 2);
}

TEST_CASE("events older than the stream's horizon are accepted and flagged late") {
  Ingest api;
  api.declare(usage_stream("usage", 3600));
  const auto now = std::chrono::system_clock::now();
  auto iso = [](std::chrono::system_clock::time_point t) {
    return sluice::support::format_rfc3339(
        {std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count()}, 0);
  };
  auto answer = api.post_ok("usage", {event("fresh", 1, iso(now - std::chrono::minutes(5))),
                                      event("old", 1, iso(now - std::chrono::hours(3)))});
  CHECK(statuses(answer) == std::vector<std::string>{"accepted", "accepted"});
  CHECK(answer.at("events").as_array()[0].as_object().if_contains("late") == nullptr);
  CHECK(answer.at("events").as_array()[1].at("late") == true);
  CHECK(api.rows("SELECT event_id, _sluice_late FROM usage ORDER BY event_id") == Rows{{"fresh", "0"}, {"old", "1"}});
}

TEST_CASE("concurrent requests with the same ids store each id once, and each id is accepted by exactly one of them") {
  Ingest api;
  api.declare(usage_stream("usage"));
  const std::string body = json::serialize(numbered("same", 1, 300));
  constexpr int kClients = 4;
  std::vector<HttpAnswer> answers(kClients);
  std::atomic<int> ready{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      ++ready;
      while (ready < kClients) std::this_thread::yield();  // all start together
      answers[c] = api.daemon.request("POST", "/v1/ingest/usage", api.ingest_key, body, {}, false);
    });
  }
  for (auto& t : clients) t.join();
  std::map<std::string, int> accepted;
  for (const auto& answer : answers) {
    REQUIRE(answer.status == 200);
    const json::value outcome = answer.json();
    for (const auto& e : outcome.at("events").as_array()) {
      if (e.at("status") == "accepted") ++accepted[std::string(e.at("id").as_string())];
      else CHECK(e.at("status") == "duplicate");
    }
  }
  CHECK(accepted.size() == 300);
  for (const auto& [id, times] : accepted) CHECK(times == 1);
  CHECK(api.rows("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM usage") == Rows{{"300", "300"}});
}

TEST_CASE("kill -9 during ingestion: every acknowledged event is there and the clients' retries add no duplicate") {
  Ingest api;
  api.declare(usage_stream("usage"));
  constexpr int kClients = 2;
  constexpr int kEventsPerRequest = 200;
  std::mutex mutex;
  std::condition_variable acknowledged_more;
  std::set<std::string> acknowledged;                 // ids of answered requests
  std::vector<std::pair<int, std::string>> unanswered;  // (client, body) of requests without an answer
  std::atomic<bool> stop{false};
  int gone = 0;  // clients that stopped on a failed request
  std::string first_failure;  // why the first of them stopped
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int r = 0; !stop; ++r) {
        const std::string prefix = "c" + std::to_string(c) + "-r" + std::to_string(r);
        const std::string body = json::serialize(numbered(prefix, 1, kEventsPerRequest));
        try {
          auto answer = api.daemon.request("POST", "/v1/ingest/usage", api.ingest_key, body, {}, false);
          if (answer.status != 200) throw std::runtime_error("status " + std::to_string(answer.status) + ": " + answer.body);
          const json::value outcome = json::parse(answer.body);
          std::lock_guard lock(mutex);
          for (const auto& e : outcome.at("events").as_array()) {
            if (e.at("status") == "accepted") acknowledged.insert(std::string(e.at("id").as_string()));
          }
          acknowledged_more.notify_all();
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          unanswered.emplace_back(c, body);  // the daemon died under it
          if (gone++ == 0) first_failure = e.what();
          acknowledged_more.notify_all();
          return;
        }
      }
    });
  }
  bool failed_early = false;
  {
    std::unique_lock lock(mutex);
    acknowledged_more.wait(lock, [&] { return acknowledged.size() >= 6 * kEventsPerRequest || gone > 0; });
    failed_early = gone > 0;
  }
  api.daemon.kill9();
  stop = true;
  for (auto& t : clients) t.join();
  INFO(first_failure);
  REQUIRE_FALSE(failed_early);  // every request before the kill was answered

  api.daemon.start();
  // The clients retry what got no answer: stored or not, the answer is now
  // accepted or duplicate for each event.
  for (const auto& [client, body] : unanswered) {
    auto answer = api.daemon.request("POST", "/v1/ingest/usage", api.ingest_key, body);
    REQUIRE(answer.status == 200);
    const json::value outcome = answer.json();
    CHECK(outcome.at("rejected") == 0);
    for (const auto& e : outcome.at("events").as_array()) acknowledged.insert(std::string(e.at("id").as_string()));
  }
  std::set<std::string> stored;
  for (const auto& row : api.rows("SELECT event_id FROM usage")) stored.insert(row[0]);
  CHECK(api.rows("SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM usage") == Rows{{"0"}});
  CHECK(stored == acknowledged);
  CHECK(stored.size() % kEventsPerRequest == 0);  // a request is stored whole or not at all
}
