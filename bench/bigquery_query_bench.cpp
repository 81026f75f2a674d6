// `sluice query` on BigQuery at wire speed: time to first row and rows/s of
// a 1,000,000-row result from the BigQuery fake (TLS on loopback, a
// generated table of ten mixed columns, ~300 bytes a row on the wire),
// printed as NDJSON into a pipe this process drains, against fetching the
// same pages without decoding them (the baseline, same run: the plugin's
// own jobs.insert and getQueryResults by startIndex on the same fetch plan,
// each page's rows counted, not parsed). Prints the query's peak RSS (wait4)
// and the load average before and after.
//
// The fake runs in a forked process, so its pages do not count in the
// child's ru_maxrss (a child starts from its parent's high-water mark).
//
// Usage: bench_bigquery_query [--rows N]   (default 1,000,000)
//   cmake --build build --target bench_bigquery_query && build/bin/bench_bigquery_query
#include "bench/sync_child.hpp"

#include "bigquery_api.hpp"
#include "fake_bigquery.hpp"
#include "query_in_place.hpp"
#include "result_pages.hpp"
#include "settings.hpp"
#include "table_reader.hpp"

#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* kProject = "bench-proj";
constexpr const char* kAccount = "sluice-bench@bench-proj.iam.gserviceaccount.com";
constexpr const char* kSql = "SELECT * FROM `bench-proj.bench.events`";

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Row i of the generated table, as the API sends it (TIMESTAMP as integer microseconds).
std::string wire_row(size_t i) {
  static const char* kCountries[] = {"FR", "DE", "US", "JP", "BR", "IN", "NG", "CA"};
  const std::string id = std::to_string(i + 1);
  const int64_t may1 = 1714521600000000;
  auto cell = [](const std::string& v) { return "{\"v\":\"" + v + "\"}"; };
  return "{\"f\":[" + cell(id) + "," + cell("user" + id + "@example.com") + "," + cell("User Number " + id) + "," +
         cell(std::to_string(may1 + static_cast<int64_t>(i) * 1'000'123)) + "," +
         cell(std::to_string(may1 + static_cast<int64_t>(i) * 2'000'321)) + "," + cell(std::to_string(i * 7 % 1000)) +
         "," + cell(i % 3 == 0 ? "true" : "false") + "," + cell(std::to_string(static_cast<double>(i) / 7.0)) + "," +
         cell(kCountries[i % 8]) + ",{\"v\":\"{\\\"plan\\\":\\\"pro\\\",\\\"seats\\\":" + std::to_string(i % 50) +
         "}\"}]}";
}

// The fake, in this (forked) process: writes DIR/conn.json and DIR/key.json,
// says "ready" on `ready_fd`, and serves until `stop_fd` closes.
[[noreturn]] void serve_fake(const fs::path& dir, size_t rows, int ready_fd, int stop_fd) {
  using namespace bigquery_fake;
  const auto key = sluice::testkit::generate_rsa_key();
  FakeBigQuery fake(kProject, kAccount, key.public_pem);
  fake.add_generated_table("bench", "events",
                           json::array{field("id", "INTEGER", "REQUIRED"), field("email", "STRING"),
                                       field("name", "STRING"), field("created_at", "TIMESTAMP"),
                                       field("updated_at", "TIMESTAMP"), field("visits", "INTEGER"),
                                       field("active", "BOOLEAN"), field("score", "FLOAT"), field("country", "STRING"),
                                       field("attrs", "JSON")},
                           rows, wire_row, 120);
  sluice::testkit::FakeServer server([&](const sluice::testkit::FakeRequest& r) { return fake.handle(r); });
  fake.set_token_url(server.base_url() + "/token");
  const auto key_path = dir / "key.json";
  std::ofstream(key_path) << sluice::testkit::service_account_json(kAccount, key, server.base_url() + "/token",
                                                                    kProject);
  json::object connection{
      {"source",
       {{"plugin", "bigquery"},
        {"config",
         {{"project_id", kProject}, {"credentials_json", {{"$file", key_path.string()}}},
          {"base_url", server.base_url()}, {"ca_file", server.ca_file()}}}}}};
  std::ofstream(dir / "conn.json") << json::serialize(connection);
  std::ofstream(dir / "server.json") << json::serialize(json::object{{"base_url", server.base_url()},
                                                                     {"ca_file", server.ca_file()}});
  if (::write(ready_fd, "r", 1) != 1) _exit(1);
  char byte;
  while (::read(stop_fd, &byte, 1) > 0) {
  }
  _exit(0);
}

struct QueryRun {
  double first_row = -1, seconds = 0;
  size_t rows = 0;
  long peak_rss_kb = 0;
};

// `sluice query` as a child, its stdout drained here: when the first row
// arrives, how many there are, the child's peak RSS.
QueryRun run_query(const fs::path& dir) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "query.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const std::string cli = SLUICE_CLI_PATH, conn = (dir / "conn.json").string();
  const char* argv[] = {cli.c_str(), "query", conn.c_str(), kSql, "--format", "ndjson", "--timeout", "600", nullptr};
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, cli.c_str(), &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) throw std::runtime_error("cannot start " + cli);
  QueryRun run;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t got = ::read(out[0], buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    const size_t before = run.rows;
    run.rows += static_cast<size_t>(std::count(buffer.data(), buffer.data() + got, '\n'));
    if (before == 0 && run.rows > 0) {
      run.first_row = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }
  ::close(out[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = usage.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("sluice query failed: " + read_file(dir / "query.err"));
  }
  return run;
}

// Rows in a page, counted by their {"f": openings (the generated rows have no RECORD).
size_t count_rows(std::string_view body) {
  size_t rows = 0;
  for (size_t at = body.find("{\"f\":"); at != std::string_view::npos; at = body.find("{\"f\":", at + 5)) ++rows;
  return rows;
}

// The baseline: the same job and pages with the plugin's own calls and
// fetch plan, no decoding. Seconds from jobs.insert to the last page.
double fetch_only(const fs::path& dir, size_t expected) {
  const json::value server = json::parse(read_file(dir / "server.json"));
  bigquery::Settings settings;
  settings.project_id = kProject;
  settings.credentials_json = read_file(dir / "key.json");
  settings.endpoint.base_url = std::string(server.at("base_url").as_string());
  settings.endpoint.ca_file = std::string(server.at("ca_file").as_string());
  sluice::Logger log(nullptr);
  bigquery::BigQueryApi api(settings, log);
  const auto start = std::chrono::steady_clock::now();
  const bigquery::JobRef job{kProject, "bench_" + bigquery::random_request_id(), "US"};
  api.insert_job(bigquery::query_job(kSql, {}, job, int64_t(1) << 40, 600));
  bigquery::QueryOptions first = settings.query;
  first.page_size = bigquery::kFirstPageRows;
  std::string body = api.query_results(job, "", first);
  const size_t first_rows = count_rows(body);
  size_t rows = first_rows;
  bigquery::read_rest_of_result(
      api, job, settings.query, first_rows, expected, static_cast<double>(body.size()) / static_cast<double>(first_rows),
      [](std::string page) {
        bigquery::DecodedPage decoded;
        decoded.rows = count_rows(page);
        return decoded;
      },
      [&](const bigquery::DecodedPage& page) { rows += page.rows; });
  if (rows != expected) throw std::runtime_error("fetch-only read " + std::to_string(rows) + " rows");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::stoul(argv[i + 1]);
  }
  const fs::path dir = fs::temp_directory_path() / ("bench_bigquery_query." + std::to_string(::getpid()));
  fs::create_directories(dir);
  int ready[2], stop[2];
  if (::pipe(ready) != 0 || ::pipe(stop) != 0) return 1;
  const pid_t fake = fork();  // before any thread of this process
  if (fake == 0) {
    ::close(ready[0]);
    ::close(stop[1]);
    serve_fake(dir, rows, ready[1], stop[0]);
  }
  ::close(ready[1]);
  ::close(stop[0]);
  char byte;
  if (::read(ready[0], &byte, 1) != 1) {
    std::cerr << "the fake did not start\n";
    return 1;
  }
  try {
    const std::string load_before = sluice::bench::load_average();
    const QueryRun query = run_query(dir);
    const double baseline = fetch_only(dir, rows);
    const std::string load_after = sluice::bench::load_average();
    if (query.rows != rows) throw std::runtime_error("sluice query printed " + std::to_string(query.rows) + " rows");
    std::printf("sluice query, BigQuery fake, %zu rows (~300 bytes each on the wire), ndjson to a pipe\n", rows);
    std::printf("  time to first row   %.3f s\n", query.first_row);
    std::printf("  whole result        %.2f s, %.0f rows/s, peak RSS %.1f MB\n", query.seconds,
                static_cast<double>(rows) / query.seconds, static_cast<double>(query.peak_rss_kb) / 1024);
    std::printf("  fetch only          %.2f s, %.0f rows/s (same job, pages and plan; rows counted, not decoded)\n",
                baseline, static_cast<double>(rows) / baseline);
    std::printf("  query / fetch only  %.0f%%\n", 100 * baseline / query.seconds);
    std::printf("  load average        %s before, %s after (2 cores)\n", load_before.c_str(), load_after.c_str());
  } catch (const std::exception& e) {
    std::cerr << "bench_bigquery_query: " << e.what() << "\n";
    ::close(stop[1]);
    waitpid(fake, nullptr, 0);
    return 1;
  }
  ::close(stop[1]);
  waitpid(fake, nullptr, 0);
  fs::remove_all(dir);
  return 0;
}
