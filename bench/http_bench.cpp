// API sources at wire speed: `sluice sync` from the BigQuery, Auth0, Snowflake and Databricks fakes
// over TLS on loopback into SQLite and PostgreSQL, against a fetch-and-parse
// baseline measured in the same run.
//
// The fakes (tests/connectors/bigquery, tests/connectors/auth0 on the test
// kit's FakeServer) run in a forked process: the rows they hold would
// otherwise count in the sync child's peak RSS (a spawned child's ru_maxrss
// starts from its parent's high-water mark). Each answer is held back by
// the case's added latency (the test kit's Fault::delay, set by a wrapper
// around the fake's handler; delayed answers overlap, up to the FakeServer's
// 32 connection threads).
//
// For each case (source x latency x target):
//  1. `sluice sync` as a child process: wall time, peak RSS and CPU time of
//     the child (wait4), then the rows in the target are counted.
//  2. Baseline, once per source and latency, right after the first target's
//     sync: the requests that sync made (token requests aside: the client's
//     own auth fetches its token) replayed in order with the support
//     library's HttpClient, same TLS, same latency, one after another, each
//     body parsed with boost::json (a monotonic resource per page) and
//     discarded. At 0 ms it is the fetch+parse ceiling; at 50 ms it is the
//     sequential rate, the speed of a connector that fetches one page at a
//     time. Both sides pay the fake's own work (building each page).
// It prints rows/s, the ratio to the baseline, the load average, CPU seconds
// per million rows and peak RSS, and which of issue 14's goals each line
// meets: at 0 ms >= 50% of the baseline and (SQLite) >= 300 k rows/s; at
// 50 ms >= 8x the sequential rate; peak RSS < 100 MB.
//
// Databricks: the sync's statement, chunk-link and external-link requests go
// to two servers (the workspace, and the storage host over plain http); the
// baseline replays the workspace's requests, then the downloads, without
// credentials, as the connector sends them.
//
// Target "query" (Snowflake and Databricks; issue 21): instead of a sync,
// `sluice query CONN "SELECT * FROM <table>" --format ndjson` read from a
// pipe (every row counted), against the replay of the requests it made; the
// goals column shows its time to the first byte. (BigQuery's query has its
// own bench_bigquery_query.)
//
// Usage: bench_http [--quick | --smoke] [--sources bigquery,auth0,snowflake,databricks]
//                   [--latencies 0,50] [--targets sqlite,postgres,query]
//                   [--bigquery-rows N] [--auth0-users N] [--page-rows N]
//                   [--snowflake-rows N] [--snowflake-rows-slow N]
//                   [--databricks-rows N] [--databricks-rows-slow N]
//                   [--bigquery-rows-slow N] [--auth0-users-slow N]
//                   [--concurrency N] [--postgres URL]
//   Full (default): 1,000,000 BigQuery and Snowflake rows and 200,000 Auth0 users at
//   0 ms; at 50 ms the same for BigQuery and Auth0 (issue 14's sizes: their
//   sequential baselines take about 50 s and 140 s; with fewer rows the
//   fixed requests of a sync weigh more) and 100,000 Snowflake and
//   Databricks rows; 1,000-row BigQuery pages. --quick: 100,000 and 20,000
//   rows at 0 ms, 20,000 and 5,000 at 50 ms. --smoke: 5,000 and 1,000 rows
//   at 0 ms, 2,000 and 300 at 50 ms, SQLite only (the ctest: every sync
//   lands exactly its rows and the baseline replays; ~6 s). --concurrency N
//   sets the connectors' "concurrency" (default: theirs: BigQuery 16, Auth0 16). --postgres: an
//   admin URL instead of a private server (scripts/test-servers/postgres.sh).
#include "bench/bench_shell.hpp"
#include "bench/sync_child.hpp"
#include "host/target/target_url.hpp"

#include "fake_auth0.hpp"
#include "fake_bigquery.hpp"
#include "fake_databricks.hpp"
#include "fake_snowflake.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/http_client.hpp>
#include <sluice/support/timestamp.hpp>
#include <testkit/fake_server.hpp>
#include <testkit/keys.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using sluice::testkit::Fault;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;
using sluice::testkit::FakeServer;

constexpr const char* kProject = "bench-proj";
constexpr const char* kServiceAccount = "bench@bench-proj.iam.gserviceaccount.com";
constexpr const char* kDataset = "bench";
constexpr const char* kBigQueryScope = "https://www.googleapis.com/auth/bigquery";
constexpr const char* kSnowflakeAccount = "benchorg-bench";
constexpr const char* kSnowflakeUser = "BENCH";
constexpr const char* kSnowflakeDatabase = "BENCH";
constexpr const char* kDatabricksToken = "dapi-bench-token";

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

// ---------------------------------------------------------------------------
// The fake process: owns the fakes and their servers, answers one command
// line with one reply line over a pair of pipes.

// BigQuery table "events_N": 10 columns of mixed types, in the API's wire
// form (every scalar a string, TIMESTAMP as integer microseconds).
bigquery_fake::FakeTable events_table(long rows) {
  using namespace bigquery_fake;
  FakeTable table;
  table.fields = {field("id", "INTEGER", "REQUIRED"), field("email", "STRING"),    field("name", "STRING"),
                  field("created_at", "TIMESTAMP"),   field("updated_at", "TIMESTAMP"), field("quantity", "INTEGER"),
                  field("active", "BOOLEAN"),         field("score", "FLOAT"),      field("country", "STRING"),
                  field("attributes", "JSON")};
  constexpr const char* kCountries[] = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "AU"};
  constexpr int64_t k2024Micros = 1'704'067'200'000'000;
  table.rows.reserve(static_cast<size_t>(rows));
  for (long i = 1; i <= rows; ++i) {
    const std::string id = std::to_string(i);
    table.rows.push_back(row({cell(id), cell("user" + id + "@example.com"), cell("User Number " + id),
                              cell(std::to_string(k2024Micros + i * 1'000'000)),
                              cell(std::to_string(k2024Micros + i * 1'500'000)), cell(std::to_string(i % 1000)),
                              cell(i % 10 ? "true" : "false"), cell(std::to_string(static_cast<double>(i) / 7)),
                              cell(kCountries[i % 8]),
                              cell(R"({"plan":"pro","seats":)" + std::to_string(i % 50) + "}")}));
  }
  return table;
}

// Snowflake table PUBLIC."events_N": the same 10 columns in Snowflake types
// (nanosecond timestamps, a VARIANT), stored as the fake stores them.
void add_snowflake_events(snowflake_fake::FakeDatabase& db, long rows) {
  const std::string table = "events_" + std::to_string(rows);
  db.create_table("PUBLIC", table,
                  {{"id", "NUMBER(18,0)", false}, {"email", "VARCHAR"}, {"name", "VARCHAR"},
                   {"created_at", "TIMESTAMP_NTZ(9)"}, {"updated_at", "TIMESTAMP_LTZ(9)"}, {"quantity", "NUMBER(18,0)"},
                   {"active", "BOOLEAN"}, {"score", "FLOAT"}, {"country", "VARCHAR"}, {"attributes", "VARIANT"}});
  constexpr const char* kCountries[] = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "AU"};
  constexpr int64_t k2024Micros = 1'704'067'200'000'000;
  auto stored = [](int64_t micros) {  // "YYYY-MM-DD HH:MM:SS.fffffffff"
    std::string text = sluice::support::format_rfc3339({micros});
    text[10] = ' ';
    text.pop_back();
    return text + "000";
  };
  std::vector<snowflake_fake::Row> batch;
  for (long i = 1; i <= rows; ++i) {
    const std::string id = std::to_string(i);
    batch.push_back({id, "user" + id + "@example.com", "User Number " + id, stored(k2024Micros + i * 1'000'000),
                     stored(k2024Micros + i * 1'500'000), std::to_string(i % 1000), i % 10 ? "1" : "0",
                     std::to_string(static_cast<double>(i) / 7), std::string(kCountries[i % 8]),
                     R"({"plan":"pro","seats":)" + std::to_string(i % 50) + "}"});
    if (batch.size() == 50'000 || i == rows) {
      db.insert("PUBLIC", table, batch);
      batch.clear();
    }
  }
}

// Databricks table main.bench.events_N: the same 10 columns in Databricks
// types (microsecond timestamps, a VARIANT), stored as the fake stores them.
void add_databricks_events(databricks_fake::FakeWarehouse& warehouse, long rows) {
  const std::string table = "events_" + std::to_string(rows);
  warehouse.create_table("bench", table,
                         {{"id", "BIGINT", false}, {"email", "STRING"}, {"name", "STRING"}, {"created_at", "TIMESTAMP_NTZ"},
                          {"updated_at", "TIMESTAMP"}, {"quantity", "INT"}, {"active", "BOOLEAN"}, {"score", "DOUBLE"},
                          {"country", "STRING"}, {"attributes", "VARIANT"}});
  constexpr const char* kCountries[] = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "AU"};
  constexpr int64_t k2024Micros = 1'704'067'200'000'000;
  auto stored = [](int64_t micros) {  // "YYYY-MM-DD HH:MM:SS.ffffff"
    std::string text = sluice::support::format_rfc3339({micros});
    text[10] = ' ';
    text.pop_back();
    return text;
  };
  std::vector<databricks_fake::Row> batch;
  for (long i = 1; i <= rows; ++i) {
    const std::string id = std::to_string(i);
    batch.push_back({id, "user" + id + "@example.com", "User Number " + id, stored(k2024Micros + i * 1'000'000),
                     stored(k2024Micros + i * 1'500'000), std::to_string(i % 1000), i % 10 ? "1" : "0",
                     std::to_string(static_cast<double>(i) / 7), std::string(kCountries[i % 8]),
                     R"({"plan":"pro","seats":)" + std::to_string(i % 50) + "}"});
    if (batch.size() == 50'000 || i == rows) {
      warehouse.insert("bench", table, batch);
      batch.clear();
    }
  }
}

struct Fakes {
  std::atomic<int> latency_ms{0};
  std::unique_ptr<bigquery_fake::FakeBigQuery> bigquery;
  auth0_fake::FakeAuth0 auth0;
  std::vector<auth0_fake::User> all_users;
  std::unique_ptr<snowflake_fake::FakeSnowflake> snowflake;
  std::unique_ptr<databricks_fake::FakeDatabricks> databricks;
  std::unique_ptr<FakeServer> bigquery_server, auth0_server, snowflake_server, databricks_server, databricks_storage;
  std::string key_json, snowflake_key;
  std::map<std::string, size_t> marks;  // source -> request count when its sync started
  size_t storage_mark = 0;              // the same for Databricks' storage host

  FakeResponse delayed(FakeResponse response) const {
    const int ms = latency_ms.load();
    if (ms > 0 && response.fault == Fault::none) {
      response.fault = Fault::delay;
      response.delay = std::chrono::milliseconds(ms);
    }
    return response;
  }
  FakeServer& server(const std::string& source) {
    if (source == "snowflake") return *snowflake_server;
    if (source == "databricks") return *databricks_server;
    return source == "bigquery" ? *bigquery_server : *auth0_server;
  }
};

// Replays the requests `source`'s server received since its mark, as one
// client fetching page after page; returns "seconds requests bytes".
std::string replay(Fakes& fakes, const std::string& source) {
  FakeServer& server = fakes.server(source);
  const std::vector<FakeRequest> log = server.requests();
  const size_t end = log.size();
  sluice::support::HttpOptions options;
  options.ca_file = server.ca_file();
  sluice::support::HttpClient client(options);
  if (source == "bigquery") {
    client.set_auth(sluice::support::google_service_account_auth(fakes.key_json, {kBigQueryScope}).auth);
  } else if (source == "snowflake") {
    client.set_auth(sluice::support::snowflake_key_pair_auth(kSnowflakeAccount, kSnowflakeUser, fakes.snowflake_key));
  } else if (source == "databricks") {
    client.set_auth(sluice::support::bearer_token_auth(kDatabricksToken));
  } else {
    client.set_auth(sluice::support::client_credentials_auth(server.base_url() + "/oauth/token",
                                                             fakes.auth0.client_id, fakes.auth0.client_secret,
                                                             "https://" + fakes.auth0.domain + "/api/v2/"));
  }
  size_t requests = 0, bytes = 0;
  const auto start = Clock::now();
  for (size_t i = fakes.marks[source]; i < end; ++i) {
    const FakeRequest& request = log[i];
    if (request.path == "/token" || request.path == "/oauth/token") continue;
    sluice::support::HttpRequest out;
    out.method = request.method;
    out.url = server.base_url() + request.raw_path + (request.query_string.empty() ? "" : "?" + request.query_string);
    out.body = request.body;
    if (!out.body.empty()) out.content_type = request.header("Content-Type");
    const sluice::support::HttpResponse response = client.send(std::move(out));
    json::monotonic_resource memory;
    json::error_code ec;
    json::value parsed = json::parse(response.body, ec, &memory);
    if (ec) throw std::runtime_error("the baseline got a body that is not JSON from " + request.path);
    ++requests;
    bytes += response.body.size();
  }
  if (source == "databricks") {
    // The chunks' downloads from the storage host, without credentials.
    const std::vector<FakeRequest> downloads = fakes.databricks_storage->requests();
    sluice::support::HttpClient storage(sluice::support::HttpOptions{});
    for (size_t i = fakes.storage_mark; i < downloads.size(); ++i) {
      sluice::support::HttpRequest out;
      out.url = fakes.databricks_storage->base_url() + downloads[i].raw_path + "?" + downloads[i].query_string;
      for (const auto& [name, value] : downloads[i].headers) {
        if (name.rfind("x-amz-", 0) == 0 || name.rfind("X-Amz-", 0) == 0) out.headers.emplace_back(name, value);
      }
      out.authorize = false;
      const sluice::support::HttpResponse response = storage.send(std::move(out));
      json::monotonic_resource memory;
      json::error_code ec;
      json::value parsed = json::parse(response.body, ec, &memory);
      if (ec) throw std::runtime_error("the baseline got a chunk that is not JSON");
      ++requests;
      bytes += response.body.size();
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return std::to_string(seconds) + " " + std::to_string(requests) + " " + std::to_string(bytes);
}

[[noreturn]] void serve_fakes(int in, int out, const std::vector<long>& table_sizes, long users,
                              const std::vector<long>& snowflake_sizes, const std::vector<long>& databricks_sizes) {
  try {
    Fakes fakes;
    const auto key = sluice::testkit::generate_rsa_key();
    fakes.bigquery = std::make_unique<bigquery_fake::FakeBigQuery>(kProject, kServiceAccount, key.public_pem);
    for (long rows : table_sizes) fakes.bigquery->add_table(kDataset, "events_" + std::to_string(rows), events_table(rows));
    fakes.snowflake = std::make_unique<snowflake_fake::FakeSnowflake>(kSnowflakeAccount, kSnowflakeUser, key.public_pem,
                                                                      kSnowflakeDatabase);
    fakes.snowflake_key = key.private_pem;
    for (long rows : snowflake_sizes) add_snowflake_events(fakes.snowflake->database(), rows);
    fakes.databricks = std::make_unique<databricks_fake::FakeDatabricks>("main", kDatabricksToken);
    for (long rows : databricks_sizes) add_databricks_events(fakes.databricks->warehouse(), rows);
    fakes.auth0.add_users(static_cast<int>(users));
    fakes.all_users = fakes.auth0.users();
    fakes.bigquery_server = std::make_unique<FakeServer>(
        [&fakes](const FakeRequest& request) { return fakes.delayed(fakes.bigquery->handle(request)); });
    fakes.auth0_server = std::make_unique<FakeServer>(
        [&fakes](const FakeRequest& request) { return fakes.delayed(fakes.auth0(request)); });
    fakes.snowflake_server = std::make_unique<FakeServer>(
        [&fakes](const FakeRequest& request) { return fakes.delayed(fakes.snowflake->handle(request)); });
    fakes.databricks_server = std::make_unique<FakeServer>(
        [&fakes](const FakeRequest& request) { return fakes.delayed(fakes.databricks->handle(request)); });
    fakes.databricks_storage = std::make_unique<FakeServer>(
        [&fakes](const FakeRequest& request) { return fakes.delayed(fakes.databricks->handle_storage(request)); },
        sluice::testkit::Scheme::http);
    fakes.databricks->set_storage_base_url(fakes.databricks_storage->base_url());
    const std::string token_url = fakes.bigquery_server->base_url() + "/token";
    fakes.bigquery->set_token_url(token_url);
    fakes.key_json = sluice::testkit::service_account_json(kServiceAccount, key, token_url, kProject);

    FILE* replies = fdopen(out, "w");
    FILE* commands = fdopen(in, "r");
    json::object hello{{"bigquery_url", fakes.bigquery_server->base_url()},
                       {"bigquery_ca", fakes.bigquery_server->ca_file()},
                       {"key_json", fakes.key_json},
                       {"auth0_url", fakes.auth0_server->base_url()},
                       {"auth0_ca", fakes.auth0_server->ca_file()},
                       {"domain", fakes.auth0.domain},
                       {"client_id", fakes.auth0.client_id},
                       {"client_secret", fakes.auth0.client_secret},
                       {"snowflake_url", fakes.snowflake_server->base_url()},
                       {"snowflake_ca", fakes.snowflake_server->ca_file()},
                       {"snowflake_key", fakes.snowflake_key},
                       {"databricks_url", fakes.databricks_server->base_url()},
                       {"databricks_ca", fakes.databricks_server->ca_file()}};
    std::fprintf(replies, "%s\n", json::serialize(hello).c_str());
    std::fflush(replies);
    char line[256];
    while (std::fgets(line, sizeof line, commands)) {
      std::istringstream command(line);
      std::string verb, argument;
      command >> verb >> argument;
      std::string reply = "ok";
      try {
        if (verb == "latency") {
          fakes.latency_ms = std::stoi(argument);
        } else if (verb == "users") {
          fakes.auth0.edit_users().assign(fakes.all_users.begin(), fakes.all_users.begin() + std::stol(argument));
        } else if (verb == "partition_rows") {
          fakes.snowflake->set_partition_rows(std::stoul(argument));
        } else if (verb == "chunk_rows") {
          fakes.databricks->set_chunk_rows(std::stoul(argument));
        } else if (verb == "mark") {
          fakes.marks[argument] = fakes.server(argument).request_count();
          if (argument == "databricks") fakes.storage_mark = fakes.databricks_storage->request_count();
        } else if (verb == "baseline") {
          reply = replay(fakes, argument);
        } else if (verb == "quit") {
          break;
        }
      } catch (const std::exception& e) {
        reply = std::string("error ") + e.what();
      }
      std::fprintf(replies, "%s\n", reply.c_str());
      std::fflush(replies);
    }
    fakes.bigquery_server.reset();
    fakes.auth0_server.reset();
    fakes.snowflake_server.reset();
    fakes.databricks_server.reset();
    fakes.databricks_storage.reset();
    _exit(0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake process: %s\n", e.what());
    _exit(1);
  }
}

// The parent's handle on the fake process.
class FakeProcess {
 public:
  FakeProcess(const std::vector<long>& table_sizes, long users, const std::vector<long>& snowflake_sizes,
              const std::vector<long>& databricks_sizes) {
    int down[2], up[2];
    if (pipe(down) != 0 || pipe(up) != 0) throw std::runtime_error("pipe failed");
    std::fflush(stdout);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      close(down[1]);
      close(up[0]);
      serve_fakes(down[0], up[1], table_sizes, users, snowflake_sizes, databricks_sizes);
    }
    close(down[0]);
    close(up[1]);
    to_ = fdopen(down[1], "w");
    from_ = fdopen(up[0], "r");
    hello = json::parse(read_line()).as_object();
  }
  ~FakeProcess() {
    std::fprintf(to_, "quit\n");
    std::fflush(to_);
    std::fclose(to_);
    std::fclose(from_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  FakeProcess(const FakeProcess&) = delete;
  FakeProcess& operator=(const FakeProcess&) = delete;

  std::string command(const std::string& line) {
    std::fprintf(to_, "%s\n", line.c_str());
    std::fflush(to_);
    std::string reply = read_line();
    if (reply.rfind("error ", 0) == 0) throw std::runtime_error(line + ": " + reply.substr(6));
    return reply;
  }
  std::string field(const char* name) const { return std::string(hello.at(name).as_string()); }
  // User+sys seconds of the fake process so far (all its threads): what it
  // took from the machine's cores while a sync ran.
  double cpu_seconds() const {
    return sluice::bench::detail::thread_cpu_seconds("/proc/" + std::to_string(pid_) + "/stat");
  }

  json::object hello;

 private:
  std::string read_line() {
    std::string text;
    char chunk[4096];
    while (std::fgets(chunk, sizeof chunk, from_)) {
      text += chunk;
      if (!text.empty() && text.back() == '\n') break;
    }
    if (text.empty()) throw std::runtime_error("the fake process died");
    text.pop_back();
    return text;
  }
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

// ---------------------------------------------------------------------------
// The parent: targets, connection files, the table of results.

struct Postgres {
  sluice::host::TargetUrl admin;
  fs::path state;  // a private server's state directory, or empty
  std::string psql(const std::string& database) const {
    return "psql -q -X -tA -v ON_ERROR_STOP=1 -h " + admin.host + " -p " + std::to_string(admin.port) + " -U " +
           admin.user + " -d " + database;
  }
  std::string query(const std::string& database, const std::string& sql) const {
    const std::string command = psql(database) + " -c \"" + sql + "\"";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run psql");
    std::string out;
    char chunk[256];
    while (std::fgets(chunk, sizeof chunk, pipe)) out += chunk;
    if (pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
};

// Rows in the SQLite file's table whose name ends with `table`.
long sqlite_rows(const fs::path& file, const std::string& table) {
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + file.string());
  long rows = -1;
  sqlite3_stmt* statement = nullptr;
  const std::string find = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%" + table + "'";
  std::string name;
  if (sqlite3_prepare_v2(db, find.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    name = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  if (!name.empty() &&
      sqlite3_prepare_v2(db, ("SELECT count(*) FROM \"" + name + "\"").c_str(), -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    rows = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

struct Options {
  std::vector<std::string> sources{"bigquery", "auth0", "snowflake", "databricks"};
  std::vector<int> latencies{0, 50};
  std::vector<std::string> targets{"sqlite", "postgres"};
  long bigquery_rows = 1'000'000, auth0_users = 200'000;
  long bigquery_rows_slow = 1'000'000, auth0_users_slow = 200'000;  // the issue's sizes at every latency
  long snowflake_rows = 1'000'000, snowflake_rows_slow = 100'000;
  long databricks_rows = 1'000'000, databricks_rows_slow = 100'000;
  long page_rows = 1000;
  long concurrency = 0;  // the connectors' "concurrency" setting; 0: their default
  std::string postgres_url;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--quick") {
      o.bigquery_rows = 100'000, o.auth0_users = 20'000, o.bigquery_rows_slow = 20'000, o.auth0_users_slow = 5'000;
      o.snowflake_rows = 100'000, o.snowflake_rows_slow = 20'000;
      o.databricks_rows = 100'000, o.databricks_rows_slow = 20'000;
    } else if (arg == "--smoke") {
      o.bigquery_rows = 5'000, o.auth0_users = 1'000, o.bigquery_rows_slow = 2'000, o.auth0_users_slow = 300;
      o.snowflake_rows = 5'000, o.snowflake_rows_slow = 2'000;
      o.databricks_rows = 5'000, o.databricks_rows_slow = 2'000;
      o.targets = {"sqlite"};
    } else if (arg == "--sources") {
      o.sources = split(next(), ',');
    } else if (arg == "--latencies") {
      o.latencies.clear();
      for (const auto& ms : split(next(), ',')) o.latencies.push_back(std::stoi(ms));
    } else if (arg == "--targets") {
      o.targets = split(next(), ',');
    } else if (arg == "--bigquery-rows") {
      o.bigquery_rows = std::stol(next());
    } else if (arg == "--auth0-users") {
      o.auth0_users = std::stol(next());
    } else if (arg == "--bigquery-rows-slow") {
      o.bigquery_rows_slow = std::stol(next());
    } else if (arg == "--auth0-users-slow") {
      o.auth0_users_slow = std::stol(next());
    } else if (arg == "--snowflake-rows") {
      o.snowflake_rows = std::stol(next());
    } else if (arg == "--snowflake-rows-slow") {
      o.snowflake_rows_slow = std::stol(next());
    } else if (arg == "--databricks-rows") {
      o.databricks_rows = std::stol(next());
    } else if (arg == "--databricks-rows-slow") {
      o.databricks_rows_slow = std::stol(next());
    } else if (arg == "--page-rows") {
      o.page_rows = std::stol(next());
    } else if (arg == "--concurrency") {
      o.concurrency = std::stol(next());
    } else if (arg == "--postgres") {
      o.postgres_url = next();
    } else {
      throw std::runtime_error("unknown argument " + arg + " (see the usage at the top of bench/http_bench.cpp)");
    }
  }
  return o;
}

std::string connection_json(FakeProcess& fakes, const std::string& source, long rows, long page_rows,
                            long concurrency, const std::string& target, const fs::path& dir) {
  json::object config;
  json::object stream{{"mode", "full_refresh_overwrite"}};
  if (source == "bigquery") {
    std::ofstream(dir / "key.json") << fakes.field("key_json");
    config = {{"project_id", kProject},
              {"credentials_json", {{"$file", (dir / "key.json").string()}}},
              {"base_url", fakes.field("bigquery_url")},
              {"ca_file", fakes.field("bigquery_ca")},
              {"datasets", json::array{kDataset}},
              {"page_size", page_rows}};
    stream["name"] = "events_" + std::to_string(rows);
    stream["namespace"] = kDataset;
  } else if (source == "snowflake") {
    std::ofstream(dir / "rsa_key.p8") << fakes.field("snowflake_key");
    config = {{"account", kSnowflakeAccount},
              {"user", kSnowflakeUser},
              {"database", kSnowflakeDatabase},
              {"schemas", json::array{"PUBLIC"}},
              {"credentials", {{"auth_type", "key_pair"}, {"private_key", {{"$file", (dir / "rsa_key.p8").string()}}}}},
              {"base_url", fakes.field("snowflake_url")},
              {"ca_file", fakes.field("snowflake_ca")}};
    stream["name"] = "events_" + std::to_string(rows);
    stream["namespace"] = std::string(kSnowflakeDatabase) + ".PUBLIC";
  } else if (source == "databricks") {
    config = {{"server_hostname", "dbc-bench.cloud.databricks.com"},
              {"http_path", std::string("/sql/1.0/warehouses/") + databricks_fake::kWarehouseId},
              {"catalog", "main"},
              {"schemas", json::array{"bench"}},
              {"credentials", {{"auth_type", "personal_access_token"}, {"token", kDatabricksToken}}},
              {"base_url", fakes.field("databricks_url")},
              {"ca_file", fakes.field("databricks_ca")}};
    stream["name"] = "events_" + std::to_string(rows);
    stream["namespace"] = "main.bench";
  } else {
    config = {{"domain", fakes.field("domain")},
              {"credentials",
               {{"auth_type", "client_credentials"},
                {"client_id", fakes.field("client_id")},
                {"client_secret", fakes.field("client_secret")}}},
              {"base_url", fakes.field("auth0_url")},
              {"ca_file", fakes.field("auth0_ca")}};
    stream["name"] = "users";
  }
  if (concurrency > 0) config["concurrency"] = concurrency;
  return json::serialize(json::object{{"source", {{"plugin", source}, {"config", std::move(config)}}},
                                      {"target", target},
                                      {"streams", json::array{std::move(stream)}}});
}

std::string goals(int latency, const std::string& target, double rate, double ratio, double rss_mb) {
  std::string out;
  auto mark = [&](bool met, const std::string& what) { out += (out.empty() ? "" : " ") + what + (met ? " ok" : " MISS"); };
  if (latency == 0) {
    mark(ratio >= 0.5, ">=50%");
    if (target == "sqlite") mark(rate >= 300'000, ">=300k/s");
  } else {
    mark(ratio >= 8, ">=8x");
  }
  mark(rss_mb < 100, "RSS<100MB");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse_options(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_http: %s\n", e.what());
    return 2;
  }
  auto rows_for = [&](const std::string& source, int latency) {
    if (source == "bigquery") return latency == 0 ? o.bigquery_rows : o.bigquery_rows_slow;
    if (source == "snowflake") return latency == 0 ? o.snowflake_rows : o.snowflake_rows_slow;
    if (source == "databricks") return latency == 0 ? o.databricks_rows : o.databricks_rows_slow;
    return latency == 0 ? o.auth0_users : o.auth0_users_slow;
  };
  std::vector<long> table_sizes;
  long users = 0;
  for (int latency : o.latencies) {
    long rows = rows_for("bigquery", latency);
    if (std::find(table_sizes.begin(), table_sizes.end(), rows) == table_sizes.end()) table_sizes.push_back(rows);
    users = std::max(users, rows_for("auth0", latency));
  }
  bool want_bigquery = std::find(o.sources.begin(), o.sources.end(), "bigquery") != o.sources.end();
  if (!want_bigquery) table_sizes.clear();
  std::vector<long> snowflake_sizes;
  if (std::find(o.sources.begin(), o.sources.end(), "snowflake") != o.sources.end()) {
    for (int latency : o.latencies) {
      const long rows = rows_for("snowflake", latency);
      if (std::find(snowflake_sizes.begin(), snowflake_sizes.end(), rows) == snowflake_sizes.end()) {
        snowflake_sizes.push_back(rows);
      }
    }
  }

  std::vector<long> databricks_sizes;
  if (std::find(o.sources.begin(), o.sources.end(), "databricks") != o.sources.end()) {
    for (int latency : o.latencies) {
      const long rows = rows_for("databricks", latency);
      if (std::find(databricks_sizes.begin(), databricks_sizes.end(), rows) == databricks_sizes.end()) {
        databricks_sizes.push_back(rows);
      }
    }
  }

  const fs::path dir = fs::temp_directory_path() / ("sluice-bench-http-" + std::to_string(getpid()));
  fs::create_directories(dir);
  int failures = 0;
  try {
    FakeProcess fakes(table_sizes, users, snowflake_sizes, databricks_sizes);
    Postgres postgres;
    const bool want_postgres = std::find(o.targets.begin(), o.targets.end(), "postgres") != o.targets.end();
    const fs::path scripts = fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers";
    if (want_postgres) {
      std::string url = o.postgres_url;
      if (url.empty()) {
        postgres.state = dir / "server-postgres";
        sluice::bench::shell("bash " + (scripts / "postgres.sh").string() + " start " + postgres.state.string() +
                             " > /dev/null");
        url = sluice::bench::read_all(postgres.state / "url");
      }
      postgres.admin = sluice::host::parse_target_url(url);
      // psql reads the password from the environment, never from a command line.
      setenv("PGPASSWORD", postgres.admin.password.c_str(), 1);
    }

    std::printf("TLS on loopback, %ld-row BigQuery pages, connector concurrency %s; baseline: the same requests\n"
                "fetched one after another with the support library's HttpClient and parsed; CPU: user+sys s per\n"
                "million rows of the sync (total=each thread's), fake: the fake process's during the sync\n",
                o.page_rows, o.concurrency > 0 ? std::to_string(o.concurrency).c_str() : "default");
    std::printf("%-9s %4s %-8s %8s %11s %11s %7s %6s %17s %6s %7s  %s\n", "source", "ms", "target", "rows",
                "sync rows/s", "base rows/s", "ratio", "load", "CPU s/M rows", "fake", "RSS MB", "goals");
    std::fflush(stdout);
    int databases = 0;
    for (const auto& source : o.sources) {
      for (int latency : o.latencies) {
        const long rows = rows_for(source, latency);
        fakes.command("latency " + std::to_string(latency));
        if (source == "auth0") fakes.command("users " + std::to_string(rows));
        // Snowflake: partitions of at most 10,000 rows (about 1.3 MB of jsonv2 each) and at least
        // 10 of them (issue 15), fetched in parallel.
        if (source == "snowflake") {
          fakes.command("partition_rows " + std::to_string(std::clamp(rows / 10, 1L, 10'000L)));
        }
        // Databricks: at least 10 external-link chunks (issue 16), at most 10,000 rows (about 2.6 MB) each.
        if (source == "databricks") {
          fakes.command("chunk_rows " + std::to_string(std::clamp(rows / 10, 1L, 10'000L)));
        }
        double baseline_rate = 0;
        for (const auto& target_kind : o.targets) {
          const std::string label = source + " " + std::to_string(latency) + " ms " + target_kind;
          try {
            const fs::path run_dir = dir / (source + "-" + std::to_string(latency) + "-" + target_kind);
            fs::create_directories(run_dir);
            std::string target, database;
            const bool query = target_kind == "query";
            if (query && source != "snowflake" && source != "databricks") continue;
            if (target_kind == "sqlite" || query) {
              target = "sqlite://./sync.db";
            } else {
              database = "sluice_bench_http_" + std::to_string(getpid()) + "_" + std::to_string(++databases);
              postgres.query(postgres.admin.database, "CREATE DATABASE " + database);
              target = sluice::bench::with_database(postgres.admin, database);
            }
            std::ofstream(run_dir / "conn.json")
                << connection_json(fakes, source, rows, o.page_rows, o.concurrency, target, run_dir);
            fakes.command("mark " + source);
            const std::string load = sluice::bench::load_average();
            const std::string table = source == "auth0" ? "users" : "events_" + std::to_string(rows);
            sluice::bench::SyncRun sync;
            double first_byte = -1;
            long written = -1;
            const double fake_cpu_before = fakes.cpu_seconds();
            if (query) {
              const std::string from = source == "snowflake" ? "\"PUBLIC\".\"" + table + "\"" : "`bench`.`" + table + "`";
              const auto read = sluice::bench::run_reading(
                  run_dir, {SLUICE_CLI_PATH, "query", (run_dir / "conn.json").string(), "SELECT * FROM " + from,
                            "--format", "ndjson", "--timeout", "3600"});
              sync.seconds = read.seconds;
              sync.peak_rss_kb = read.peak_rss_kb;
              first_byte = read.first_byte_seconds;
              written = read.lines;
            } else {
              sync = sluice::bench::run_sync(run_dir, (run_dir / "conn.json").string());
            }
            const double fake_cpu = fakes.cpu_seconds() - fake_cpu_before;
            const std::string schema = source == "bigquery"     ? "bench."
                                       : source == "snowflake"  ? "bench_public."
                                       : source == "databricks" ? "main_bench."
                                                                : "";
            if (!query) {
              written = target_kind == "sqlite"
                            ? sqlite_rows(run_dir / "sync.db", table)
                            : std::stol(postgres.query(database, "SELECT count(*) FROM " + schema + table));
            }
            if (written != rows) {
              throw std::runtime_error("the sync wrote " + std::to_string(written) + " rows, not " +
                                       std::to_string(rows));
            }
            if (baseline_rate == 0) {
              std::istringstream reply(fakes.command("baseline " + source));
              double seconds = 0;
              reply >> seconds;
              baseline_rate = static_cast<double>(rows) / seconds;
            }
            if (!database.empty()) postgres.query(postgres.admin.database, "DROP DATABASE " + database);
            fs::remove_all(run_dir);
            const double rate = static_cast<double>(rows) / sync.seconds;
            const double ratio = rate / baseline_rate;
            const double rss_mb = static_cast<double>(sync.peak_rss_kb) / 1024;
            char cpu[64];
            std::snprintf(cpu, sizeof cpu, "%.2f=%s", sync.cpu_seconds * 1e6 / static_cast<double>(rows),
                          sluice::bench::thread_cpu_text(sync, rows).c_str());
            char ratio_text[16];
            if (latency == 0) std::snprintf(ratio_text, sizeof ratio_text, "%.0f%%", 100 * ratio);
            else std::snprintf(ratio_text, sizeof ratio_text, "%.1fx", ratio);
            std::printf("%-9s %4d %-8s %8ld %11.0f %11.0f %7s %6s %17s %6.2f %7.1f  %s\n", source.c_str(), latency,
                        target_kind.c_str(), rows, rate, baseline_rate, ratio_text, load.c_str(), cpu,
                        fake_cpu * 1e6 / static_cast<double>(rows), rss_mb,
                        query ? ("first byte " + std::to_string(first_byte).substr(0, 5) + " s").c_str()
                              : goals(latency, target_kind, rate, ratio, rss_mb).c_str());
            std::fflush(stdout);
          } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", label.c_str(), e.what());
            ++failures;
          }
        }
      }
    }
    if (!postgres.state.empty()) {
      sluice::bench::shell("bash " + (scripts / "postgres.sh").string() + " destroy " + postgres.state.string());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_http: %s\n", e.what());
    ++failures;
  }
  fs::remove_all(dir);
  return failures ? 1 : 0;
}
