// Percent and ETA of a stream whose plugin reports a total
// (ReadContext::progress), with a fake clock.
#include "host/cli/output.hpp"
#include "host/cli/progress_display.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <boost/json.hpp>

using namespace sluice::host::cli;
using namespace std::chrono_literals;

TEST_CASE("an ETA prints in whole seconds rounded up, then minutes, then hours") {
  CHECK(duration_text(0) == "0s");
  CHECK(duration_text(0.2) == "1s");
  CHECK(duration_text(59) == "59s");
  CHECK(duration_text(60) == "1m00s");
  CHECK(duration_text(65.5) == "1m06s");
  CHECK(duration_text(3599) == "59m59s");
  CHECK(duration_text(3600 * 2 + 180) == "2h03m");
  CHECK(duration_text(-3) == "0s");
}

TEST_CASE("percent and ETA come from the plugin's done/total and the average rate since the stream started") {
  const auto start = std::chrono::steady_clock::time_point{} + 1000s;
  sluice::host::cli::StreamCompletion completion(start);
  CHECK(completion.text().empty());  // no report yet: total unknown

  completion.report(50, -1, start + 10s);  // the plugin does not know its total
  CHECK(completion.text().empty());
  CHECK_FALSE(completion.eta_seconds());

  completion.report(0, 400, start + 2s);
  CHECK(completion.text() == ", 0%");  // no rate yet

  completion.report(100, 400, start + 20s);  // 5 units/s, 300 left
  REQUIRE(completion.eta_seconds());
  CHECK(*completion.eta_seconds() == Approx(60.0));
  CHECK(completion.text() == ", 25%, ETA 1m00s");

  completion.report(399, 400, start + 399s);
  CHECK(completion.text() == ", 99%, ETA 1s");

  completion.report(400, 400, start + 400s);
  CHECK(completion.text() == ", 100%");
  completion.report(450, 400, start + 401s);  // a plugin that overshoots its total
  CHECK(completion.text() == ", 100%");
}

TEST_CASE("a JSON log line has a UTC millisecond timestamp, the level from the prefix, plugin and stream") {
  // 2026-12-07T01:50:00.123456Z
  const int64_t micros = 1796608200LL * 1000000 + 123456;
  auto line = boost::json::parse(json_log_line("warning: slow page", "users", "scripted", micros));
  CHECK(line == boost::json::parse(R"({"timestamp":"2026-12-07T01:50:00.123Z","level":"warn",
                                      "message":"slow page","plugin":"scripted","stream":"users"})"));
  auto plain = boost::json::parse(json_log_line("sync: stream users started", "", "", micros));
  CHECK(plain == boost::json::parse(R"({"timestamp":"2026-12-07T01:50:00.123Z","level":"info",
                                      "message":"sync: stream users started"})"));
  for (auto [text, level] : {std::pair{"error: x", "error"}, {"info: x", "info"}, {"debug: x", "debug"}}) {
    CHECK(boost::json::parse(json_log_line(text, "", "", micros)).at("level") == level);
  }
}

namespace {

// What `body` writes to stderr (fd 2), through a temporary file.
template <typename Body>
std::string captured_stderr(Body body) {
  std::fflush(stderr);
  char path[] = "/tmp/sluice-stderr-XXXXXX";
  const int file = mkstemp(path);
  REQUIRE(file >= 0);
  const int saved = dup(2);
  dup2(file, 2);
  body();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::string out;
  char buffer[4096];
  lseek(file, 0, SEEK_SET);
  for (ssize_t n; (n = read(file, buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<size_t>(n));
  close(file);
  unlink(path);
  return out;
}

}  // namespace

TEST_CASE("the sync progress line shows percent and ETA once the plugin reports a total") {
  auto now = std::chrono::steady_clock::time_point{} + 50s;
  DisplayOptions options;
  options.plain_interval_seconds = 0;
  options.now = [&now] { return now; };
  ProgressDisplay display(options);
  sluice::host::StreamPlan plan;
  plan.name = "items";
  const std::string out = captured_stderr([&] {
    display.stream_started(plan);
    now += 10s;
    display.stream_progress(plan, 40, 0, 10.0);  // no total reported yet
    display.stream_completion(plan, 100, 400);
    now += 10s;
    display.stream_completion(plan, 100, 400);  // 100 of 400 after 20 s: 60 s left
    display.stream_progress(plan, 100, 0, 20.0);
  });
  CHECK_THAT(out, Catch::EndsWith("sync: progress items: 40 records, 4 records/s, 10.0s\n"
                                  "sync: progress items: 100 records, 5 records/s, 20.0s, 25%, ETA 1m00s\n"));
}
