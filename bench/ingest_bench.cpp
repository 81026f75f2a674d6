// Push ingestion under load (issue 22): a load generator on loopback posts
// batches of 1,000 events of 10 fields, 10% of them duplicates (ids of the
// previous batch), to one daemon, into PostgreSQL (a throwaway server from
// scripts/test-servers/, or --postgres URL) and into SQLite. Per target:
// events/s (every event posted, duplicates included, answered after the
// commit), request latency p50/p99, the daemon's peak RSS; and in the same
// run the baseline: the same unique rows written straight through the
// target engine's bulk path (PostgreSQL COPY, SQLite prepared inserts), one
// commit per 1,000 rows, with no HTTP, validation or dedup.
//   cmake --build build --target bench_ingest && build/bin/bench_ingest [--events N] [--clients C]
//                                                                      [--postgres URL] [--only sqlite|postgres]
#include "bench/bench_daemon.hpp"
#include "bench/bench_shell.hpp"
#include "bench/sync_child.hpp"
#include "host/sync/record_mapper.hpp"
#include "host/target/target.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using sluice::bench::load_average;
using sluice::bench::read_all;
using sluice::bench::shell;
using sluice::bench::Daemon;
using sluice::bench::make_key;
using sluice::bench::peak_rss_kb;
using sluice::bench::percentile;

namespace {

constexpr int kBatch = 1000;
constexpr int kDuplicatesPerBatch = 100;


json::object event(long long n) {
  static const char* regions[] = {"eu-west", "us-east", "ap-south", "us-west"};
  static const char* plans[] = {"free", "pro", "enterprise"};
  char at[32];
  std::snprintf(at, sizeof at, "2026-12-07T%02lld:%02lld:%02lld.%03lldZ", (n / 3600) % 24, (n / 60) % 60, n % 60,
                n % 1000);
  return {{"event_id", "evt-" + std::to_string(n)},
          {"occurred_at", at},
          {"customer", "cust-" + std::to_string(n % 500)},
          {"units", n % 97},
          {"amount", static_cast<double>(n % 10000) / 100.0},
          {"region", regions[n % 4]},
          {"plan", plans[n % 3]},
          {"success", n % 11 != 0},
          {"latency_ms", 5 + n % 300},
          {"meta", {{"sdk", "go-1.4"}, {"retry", n % 5}}}};
}

json::object stream_body(const std::string& name, const std::string& target) {
  auto t = [](const char* type) { return json::object{{"type", type}}; };
  json::object properties{{"event_id", t("string")},
                          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"customer", t("string")},
                          {"units", t("integer")},
                          {"amount", t("number")},
                          {"region", t("string")},
                          {"plan", t("string")},
                          {"success", t("boolean")},
                          {"latency_ms", t("integer")},
                          {"meta", t("object")}};
  return {{"name", name}, {"target", target}, {"schema", {{"type", "object"}, {"properties", properties}}},
          {"id_field", "event_id"}, {"time_field", "occurred_at"}, {"customer_field", "customer"}};
}

// Batch b: 900 new events and 100 repeats (ids of batch b-1, or of this
// batch for the first). Returns the bodies and the unique events in order.
std::vector<std::string> make_batches(int batches, std::vector<std::string>& unique_ndjson) {
  std::vector<std::string> bodies;
  long long next = 0;
  for (int b = 0; b < batches; ++b) {
    json::array events;
    const long long first_new = next;
    for (int i = 0; i < kBatch - kDuplicatesPerBatch; ++i) {
      json::object e = event(next++);
      unique_ndjson.push_back(json::serialize(e));
      events.push_back(std::move(e));
    }
    const long long repeat_from = b == 0 ? first_new : first_new - (kBatch - kDuplicatesPerBatch);
    for (int i = 0; i < kDuplicatesPerBatch; ++i) events.push_back(event(repeat_from + i * 7));
    bodies.push_back(json::serialize(events));
  }
  return bodies;
}


struct Answer {
  int status = 0;
  std::string body;
};

Answer post(Poco::Net::HTTPClientSession& session, const std::string& path, const std::string& key,
            const std::string& body) {
  Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setKeepAlive(true);
  req.set("Authorization", "Bearer " + key);
  req.setContentType("application/json");
  req.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse response;
  Answer answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
  answer.status = static_cast<int>(response.getStatus());
  return answer;
}

// The same unique rows through the target engine's bulk path, one commit
// per batch: rows/s (mapping done before the clock starts).
double baseline(const std::string& url, const std::vector<std::string>& unique_ndjson) {
  using namespace sluice::host;
  auto target = open_target(url);
  std::vector<ColumnDef> columns;
  const json::object stream = stream_body("x", "");
  for (const auto& p : stream.at("schema").at("properties").as_object()) {
    columns.push_back({std::string(p.key()), std::string(p.key()), column_type_for(p.value())});
  }
  for (auto& meta : metadata_columns()) columns.push_back(meta);
  const TableRef table{"", "bench_baseline"};
  target->drop_table(table);
  target->create_table(table, columns);
  target->ensure_unique_key(table, {"event_id"});
  RecordMapper mapper(columns, "baseline");
  std::vector<RowBatch> batches;
  for (size_t first = 0; first < unique_ndjson.size(); first += kBatch) {
    std::string text;
    for (size_t i = first; i < std::min(unique_ndjson.size(), first + kBatch); ++i) text += unique_ndjson[i] + "\n";
    batches.push_back(mapper.map(text, "2026-12-07T12:00:00Z"));
  }
  const auto start = Clock::now();
  for (const auto& batch : batches) {
    target->begin();
    auto writer = target->writer(table, columns, {});
    writer->write(batch);
    target->commit();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  target->drop_table(table);
  return static_cast<double>(unique_ndjson.size()) / seconds;
}

void run(const std::string& label, const std::string& target_url, const fs::path& dir, int batches, int clients) {
  Daemon daemon(dir / ("serve-" + label), json::object{{"store", "sqlite://" + (dir / ("store-" + label + ".db")).string()},
                                                        {"secrets_key", {{"file", (dir / "secrets.key").string()}}},
                                                        {"ingest", {{"rate_limit", {{"requests_per_second", 0}}}}}});
  const std::string admin = make_key(daemon.dir, "admin");
  const std::string ingest = make_key(daemon.dir, "ingest");
  daemon.start();
  {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(daemon.port));
    Answer made = post(session, "/v1/ingest-streams", admin, json::serialize(stream_body("bench_events", target_url)));
    if (made.status != 201) throw std::runtime_error("declaring the stream: " + made.body);
  }
  std::vector<std::string> unique_ndjson;
  const std::vector<std::string> bodies = make_batches(batches, unique_ndjson);
  // One warm-up request per client (sessions, prepared tables), not timed,
  // with events outside the measured ids.
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::vector<double> latencies;
  long long accepted = 0, duplicates = 0, failed = 0;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(daemon.port));
      session.setKeepAlive(true);
      for (size_t i; (i = next++) < bodies.size();) {
        const auto sent = Clock::now();
        Answer answer = post(session, "/v1/ingest/bench_events", ingest, bodies[i]);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        std::lock_guard lock(mutex);
        latencies.push_back(ms);
        if (answer.status != 200) {
          ++failed;
          continue;
        }
        const json::value result = json::parse(answer.body);
        accepted += result.at("accepted").as_int64();
        duplicates += result.at("duplicate").as_int64();
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const std::string load = load_average();
  const long rss = peak_rss_kb(daemon.pid);
  const double events = static_cast<double>(bodies.size()) * kBatch;
  std::printf("%-10s ingest: %9.0f events/s (%lld accepted, %lld duplicate, %lld failed requests), request p50 %.1f ms "
              "p99 %.1f ms, daemon peak RSS %ld MiB, load %s\n",
              label.c_str(), events / seconds, accepted, duplicates, failed, percentile(latencies, 0.5),
              percentile(latencies, 0.99), rss / 1024, load.c_str());
  const double base = baseline(target_url, unique_ndjson);
  std::printf("%-10s baseline (bulk path, same %zu unique rows, commit per 1,000): %9.0f rows/s, load %s\n",
              label.c_str(), unique_ndjson.size(), base, load_average().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int events = 200000, clients = 4;
  std::string only, given_postgres;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--events" && i + 1 < argc) events = std::stoi(argv[++i]);
    else if (arg == "--clients" && i + 1 < argc) clients = std::stoi(argv[++i]);
    else if (arg == "--postgres" && i + 1 < argc) given_postgres = argv[++i];
    else if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_ingest [--events N] [--clients C] [--postgres URL] [--only sqlite|postgres]\n");
      return 2;
    }
  }
  const int batches = std::max(1, events / kBatch);
  const fs::path dir = fs::temp_directory_path() / ("sluice-bench-ingest-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::all);  // the PostgreSQL server (another user, as root) keeps its data here
  std::printf("%d requests of %d events (10 fields, %d repeats of earlier ids each), %d clients on loopback, load %s\n",
              batches, kBatch, kDuplicatesPerBatch, clients, load_average().c_str());
  int failures = 0;
  if (only.empty() || only == "postgres") {
    try {
      std::string url = given_postgres;
      if (url.empty()) {
        shell("bash " + (fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers" / "postgres.sh").string() +
              " start " + (dir / "pg").string() + " > /dev/null");
        url = read_all(dir / "pg" / "url");
      }
      run("postgresql", url, dir, batches, clients);
      if (given_postgres.empty()) {
        shell("bash " + (fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers" / "postgres.sh").string() +
              " destroy " + (dir / "pg").string() + " > /dev/null");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "postgresql: %s\n", e.what());
      ++failures;
    }
  }
  if (only.empty() || only == "sqlite") {
    try {
      run("sqlite", "sqlite://" + (dir / "events.db").string(), dir, batches, clients);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sqlite: %s\n", e.what());
      ++failures;
    }
  }
  fs::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
