// The daemon under load (issue 13). N connections of `synthetic` (a small
// full refresh each), first on one daemon with the SQLite store, then on two
// daemons sharing a PostgreSQL store (a throwaway server from
// scripts/test-servers/, or --postgres URL). Per setup:
//   capacity  every connection triggered at once through the API: jobs/s
//             until all have succeeded, against the baseline measured in the
//             same run: the same N syncs as `sluice sync` processes, as many
//             at once as the daemons run (max_concurrent_syncs per host);
//   schedules every connection on a 60-second interval with 60 s of jitter
//             (so about N/60 runs fall due each second) for --seconds:
//             jobs started per second, scheduling delay (due to started)
//             p50/p99, API latency p50/p99 of a client reading the sync list
//             and a connection meanwhile, and each daemon's peak RSS.
//   cmake --build build --target bench_serve && build/bin/bench_serve [--connections N] [--seconds S]
//                                                                    [--postgres URL] [--only sqlite|postgres]
#include "bench/bench_daemon.hpp"
#include "bench/bench_shell.hpp"
#include "bench/sync_child.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <boost/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

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

constexpr int kConcurrentPerHost = 4;
constexpr int kEventsPerSync = 1000;

// "2026-12-07T04:36:14.637842Z" as Unix seconds; -1 for null or "".
double unix_seconds(const json::value& v) {
  if (!v.is_string() || v.as_string().empty()) return -1;
  std::tm tm{};
  const std::string text(v.as_string());
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return -1;
  double fraction = *rest == '.' ? std::strtod(rest, nullptr) : 0;
  return static_cast<double>(timegm(&tm)) + fraction;
}


struct Answer {
  int status = 0;
  std::string body;
};

Answer request(int port, const std::string& method, const std::string& path, const std::string& key,
               const std::string& body = "") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
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


json::object connection_body(int i, const fs::path& targets, const json::object& schedule) {
  return {{"name", "bench-" + std::to_string(i)},
          {"connection",
           {{"source", {{"plugin", "synthetic"}, {"config", {{"events", kEventsPerSync}, {"customers", 10}, {"seed", i}}}}},
            {"target", "sqlite://" + (targets / ("c" + std::to_string(i) + ".db")).string()},
            {"streams", json::array{json::object{{"name", "usage_events"}, {"mode", "full_refresh_overwrite"}}}}}},
          {"schedule", schedule}};
}

std::vector<json::object> all_syncs(int port, const std::string& key) {
  std::vector<json::object> out;
  std::string token;
  do {
    std::string path = "/v1/syncs?limit=200" + (token.empty() ? "" : "&page_token=" + token);
    json::value page = json::parse(request(port, "GET", path, key).body);
    for (auto& s : page.at("syncs").as_array()) out.push_back(s.as_object());
    const auto* next = page.as_object().if_contains("next_page_token");
    token = next && next->is_string() ? std::string(next->as_string()) : "";
  } while (!token.empty());
  return out;
}

// The baseline: the same syncs as plain `sluice sync` processes, `parallel`
// at a time. Returns syncs per second.
double baseline_rate(const fs::path& dir, int n, int parallel) {
  fs::create_directories(dir / "baseline");
  for (int i = 0; i < n; ++i) {
    json::object body = connection_body(i, dir / "baseline", {});
    std::ofstream(dir / "baseline" / ("c" + std::to_string(i) + ".json")) << json::serialize(body.at("connection"));
  }
  const auto start = Clock::now();
  shell("ls " + (dir / "baseline").string() + "/*.json | xargs -P " + std::to_string(parallel) + " -n 1 " +
        SLUICE_CLI_PATH + " sync --quiet");
  return n / std::chrono::duration<double>(Clock::now() - start).count();
}

struct Setup {
  std::string name;
  std::string slug;  // its folders' names
  std::vector<std::unique_ptr<Daemon>> daemons;
  std::string key;
};

void run_setup(Setup& setup, const fs::path& dir, int n, int seconds) {
  Daemon& first = *setup.daemons.front();
  const fs::path targets = dir / (setup.slug + "-targets");
  fs::create_directories(targets);
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    Answer made = request(first.port, "POST", "/v1/connections", setup.key,
                          json::serialize(connection_body(i, targets, {})));
    if (made.status != 201) throw std::runtime_error("create connection: " + made.body);
    ids.push_back(std::string(json::parse(made.body).at("id").as_string()));
  }

  // Capacity: every connection at once.
  const std::string load_capacity = load_average();
  const auto start = Clock::now();
  for (const auto& id : ids) request(first.port, "POST", "/v1/connections/" + id + "/syncs", setup.key);
  const auto give_up = Clock::now() + std::chrono::minutes(10);  // a daemon that stopped starting jobs
  for (size_t ended = 0; ended < ids.size();) {
    if (Clock::now() > give_up) throw std::runtime_error("the triggered syncs did not all end within 10 minutes");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ended = 0;
    for (const auto& s : all_syncs(first.port, setup.key)) {
      if (s.at("status") == "failed" || s.at("status") == "cancelled") {
        throw std::runtime_error("a sync did not succeed: " + json::serialize(s));
      }
      ended += s.at("status") == "succeeded";
    }
  }
  const double capacity = n / std::chrono::duration<double>(Clock::now() - start).count();
  const double baseline =
      baseline_rate(dir / setup.slug, n, kConcurrentPerHost * static_cast<int>(setup.daemons.size()));
  std::printf("%-22s capacity  %7.1f jobs/s   baseline (sluice sync x%d) %7.1f/s   ratio %4.0f%%   load %s\n",
              setup.name.c_str(), capacity, kConcurrentPerHost * static_cast<int>(setup.daemons.size()), baseline,
              100 * capacity / baseline, load_capacity.c_str());
  std::fflush(stdout);

  // Schedules: every connection on a 60 s grid with 60 s of jitter.
  for (size_t i = 0; i < ids.size(); ++i) {
    json::object body = connection_body(static_cast<int>(i), targets,
                                        {{"interval_seconds", 60}, {"jitter_seconds", 60}});
    Answer changed = request(first.port, "PUT", "/v1/connections/" + ids[i], setup.key, json::serialize(body));
    if (changed.status != 200) throw std::runtime_error("schedule connection: " + changed.body);
  }
  const double window_start = static_cast<double>(std::time(nullptr));
  std::vector<double> latencies_ms;
  std::atomic<bool> stop{false};
  std::thread client([&] {
    size_t i = 0;
    while (!stop.load()) {
      const auto t0 = Clock::now();
      const std::string path = i % 2 ? "/v1/syncs?limit=20" : "/v1/connections/" + ids[i % ids.size()];
      Daemon& d = *setup.daemons[i % setup.daemons.size()];
      request(d.port, "GET", path, setup.key);
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      ++i;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const std::string load_schedules = load_average();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  client.join();
  const double window_end = static_cast<double>(std::time(nullptr));

  std::vector<double> delays;
  size_t started = 0;
  for (const auto& s : all_syncs(first.port, setup.key)) {
    if (s.at("trigger") != "schedule") continue;
    const double started_at = unix_seconds(s.at("started_at"));
    if (started_at < window_start || started_at > window_end) continue;
    ++started;
    const auto* due = s.if_contains("due_at");
    if (due && unix_seconds(*due) > 0) delays.push_back(started_at - unix_seconds(*due));
  }
  std::string rss;
  for (const auto& d : setup.daemons) rss += (rss.empty() ? "" : "+") + std::to_string(peak_rss_kb(d->pid) / 1024);
  std::printf("%-22s schedules %7.2f jobs/s   delay p50 %6.3f s p99 %6.3f s   API p50 %6.1f ms p99 %6.1f ms   "
              "RSS %s MB   load %s\n",
              setup.name.c_str(), started / (window_end - window_start), percentile(delays, 0.5),
              percentile(delays, 0.99), percentile(latencies_ms, 0.5), percentile(latencies_ms, 0.99), rss.c_str(),
              load_schedules.c_str());
  std::fflush(stdout);
}


}  // namespace

int main(int argc, char** argv) {
  int n = 200, seconds = 120;
  std::string only, given_postgres;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--connections" && i + 1 < argc) n = std::stoi(argv[++i]);
    else if (arg == "--seconds" && i + 1 < argc) seconds = std::stoi(argv[++i]);
    else if (arg == "--postgres" && i + 1 < argc) given_postgres = argv[++i];
    else if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_serve [--connections N] [--seconds S] [--postgres URL] [--only sqlite|postgres]\n");
      return 2;
    }
  }
  const fs::path dir = fs::temp_directory_path() / ("sluice-bench-serve-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::all);  // the PostgreSQL server (another user, as root) keeps its data here
  std::printf("%d connections of synthetic (%d events, full refresh), %d per host at once, %d s of schedules\n", n,
              kEventsPerSync, kConcurrentPerHost, seconds);
  int failures = 0;
  const json::object common{{"max_concurrent_syncs", kConcurrentPerHost}, {"max_concurrent_per_plugin", kConcurrentPerHost},
                            {"secrets_key", {{"file", (dir / "secrets.key").string()}}}};
  if (only.empty() || only == "sqlite") {
    try {
      Setup setup{"sqlite, one daemon", "sqlite", {}, ""};
      json::object settings = common;
      settings["store"] = "sqlite://" + (dir / "store.db").string();
      setup.daemons.push_back(std::make_unique<Daemon>(dir / "sqlite-1", settings));
      setup.key = make_key(dir / "sqlite-1");
      setup.daemons[0]->start();
      run_setup(setup, dir, n, seconds);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sqlite: %s\n", e.what());
      ++failures;
    }
  }
  if (only.empty() || only == "postgres") {
    try {
      std::string url = given_postgres;
      if (url.empty()) {
        const fs::path scripts = fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers";
        shell("bash " + (scripts / "postgres.sh").string() + " start " + (dir / "pg").string() + " > /dev/null");
        url = read_all(dir / "pg" / "url");
      }
      Setup setup{"postgres, two daemons", "postgres", {}, ""};
      for (int h = 1; h <= 2; ++h) {
        json::object settings = common;
        settings["store"] = url;
        settings["host_id"] = "bench-" + std::to_string(h);
        setup.daemons.push_back(std::make_unique<Daemon>(dir / ("pg-" + std::to_string(h)), settings));
      }
      setup.key = make_key(dir / "pg-1");
      for (auto& d : setup.daemons) d->start();
      run_setup(setup, dir, n, seconds);
      setup.daemons.clear();
      if (given_postgres.empty()) {
        shell("bash " + (fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers" / "postgres.sh").string() +
              " destroy " + (dir / "pg").string() + " > /dev/null");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "postgres: %s\n", e.what());
      ++failures;
    }
  }
  fs::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
