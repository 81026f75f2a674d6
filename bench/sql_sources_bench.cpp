// SQL sources (issue 19): a full refresh of an N-row table of 10 mixed
// columns through the postgres and mysql connectors, against the engines'
// own dump pipes, measured in the same run on the same servers.
//
// Cases (throwaway servers started with scripts/test-servers/, or the admin
// URLs given with --postgres URL / --mariadb URL):
//   PostgreSQL -> PostgreSQL  `sluice sync` into another database of the
//                             same server;
//   PostgreSQL -> SQLite      `sluice sync` into a SQLite file;
//     baseline for both:      psql -c "\copy (SELECT ...) TO STDOUT" |
//                             psql -c "\copy ... FROM STDIN" into a table of
//                             the same columns in another database;
//   MariaDB -> SQLite         `sluice sync` into a SQLite file;
//     baseline:               mysqldump --single-transaction | mariadb into
//                             another database.
//   PostgreSQL query          `sluice query CONN "SELECT * FROM events"
//                             --format csv` (issue 21), its output read and
//                             dropped; baseline: psql -c "\copy (SELECT *
//                             FROM events) TO STDOUT" read the same way;
//   MariaDB query             the same; baseline: mariadb --quick -B -e.
//   Each prints the time to the first byte of output as well.
// Each sync runs as a child (`sluice sync --quiet`, defaults: parallelism 4,
// chunk_rows 200,000): wall time, its own peak RSS and CPU seconds (wait4).
// It prints rows/s, the ratio to the baseline, peak RSS and the 1-minute
// load average when each figure was taken. Machines are shared and noisy:
// compare ratios, at a similar load.
//
// Usage: bench_sql_sources [N] [--only postgres|mariadb] [--postgres URL] [--mariadb URL]
#include "bench/bench_shell.hpp"
#include "bench/sync_child.hpp"
#include "host/target/target_url.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace {

namespace fs = std::filesystem;
using sluice::bench::load_average;
using sluice::bench::read_all;
using sluice::bench::run_reading;
using sluice::bench::run_sync;
using sluice::bench::ReadingRun;
using sluice::bench::shell;
using sluice::bench::timed_shell;
using sluice::bench::with_database;
using sluice::bench::SyncRun;
using sluice::host::TargetUrl;

// The 10 columns, the same on both engines: bigint key, two texts, two
// instants, int, boolean, double, short text, a small JSON document.
const char* kPostgresTable =
    "CREATE TABLE events (id bigint PRIMARY KEY, account text NOT NULL, email text, created_at timestamptz NOT NULL, "
    "updated_at timestamptz, units integer, active boolean, ratio double precision, country text, attrs jsonb)";
const char* kPostgresFill =
    "INSERT INTO events SELECT g, 'acct-' || (g % 1000), 'user' || g || '@example.com', "
    "TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * interval '1 second', "
    "TIMESTAMPTZ '2024-01-01 00:00:00.123456+00' + g * interval '2 second', (g % 1000)::int, g % 3 = 0, g / 7.0, "
    "(ARRAY['US','DE','FR','JP','BR'])[1 + g % 5], jsonb_build_object('plan', 'p' || (g % 10), 'seats', g % 50) "
    "FROM generate_series(1, N) g";
const char* kMariadbTable =
    "CREATE TABLE events (id bigint PRIMARY KEY, account varchar(64) NOT NULL, email varchar(255), "
    "created_at datetime(6) NOT NULL, updated_at datetime(6), units int, active boolean, ratio double, "
    "country varchar(8), attrs json)";
// seq_1_to_N: MariaDB's Sequence engine.
const char* kMariadbFill =
    "INSERT INTO events SELECT seq, CONCAT('acct-', seq % 1000), CONCAT('user', seq, '@example.com'), "
    "TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, TIMESTAMP'2024-01-01 00:00:00.123456' + INTERVAL (2 * seq) "
    "SECOND, seq % 1000, seq % 3 = 0, seq / 7.0, ELT(1 + seq % 5, 'US', 'DE', 'FR', 'JP', 'BR'), "
    "JSON_OBJECT('plan', CONCAT('p', seq % 10), 'seats', seq % 50) FROM seq_1_to_N";

struct Server {
  std::string name;  // "postgres" or "mariadb"
  TargetUrl url;

  std::string client(const std::string& database) const {
    if (name == "postgres") {
      return "psql -q -X -v ON_ERROR_STOP=1 -h " + url.host + " -p " + std::to_string(url.port) + " -U " + url.user +
             " -d " + database;
    }
    return "mariadb --no-defaults -h " + url.host + " -P " + std::to_string(url.port) + " -u " + url.user + " " +
           database;
  }
  void sql(const std::string& database, const std::string& statement) const {
    shell(client(database) + (name == "postgres" ? " -c \"" : " -e \"") + statement + "\" > /dev/null");
  }
};

struct Figure {
  double seconds = 0;
  long peak_rss_kb = 0;
  std::string load;
};

void print_row(const char* label, long n, const Figure& sync, const Figure& baseline) {
  const double rate = static_cast<double>(n) / sync.seconds;
  const double base = static_cast<double>(n) / baseline.seconds;
  std::printf("%-24s %12.0f %6s %15.0f %6s %6.0f%% %9.1f\n", label, rate, sync.load.c_str(), base,
              baseline.load.c_str(), 100 * rate / base, static_cast<double>(sync.peak_rss_kb) / 1024);
  std::fflush(stdout);
}

Figure sync_once(const fs::path& dir, const std::string& plugin, const std::string& config, const std::string& ns,
                 const std::string& target) {
  std::ofstream(dir / "bench.json") << R"({"source":{"plugin":")" << plugin << R"(","config":)" << config
                                    << R"(},"target":")" << target << R"(","streams":[{"name":"events","namespace":")"
                                    << ns << R"(","mode":"full_refresh_overwrite"}]})";
  Figure figure;
  figure.load = load_average();
  SyncRun run = run_sync(dir, (dir / "bench.json").string());
  figure.seconds = run.seconds;
  figure.peak_rss_kb = run.peak_rss_kb;
  return figure;
}

Figure timed(const std::string& command) {
  Figure figure;
  figure.load = load_average();
  figure.seconds = timed_shell(command);
  return figure;
}

// Counts the rows of `table` (a check that every case landed all of them).
void require_rows(const std::string& count_command, long n, const std::string& what) {
  const std::string file = fs::temp_directory_path() / ("sluice-bench-count-" + std::to_string(getpid()));
  shell(count_command + " > " + file);
  const std::string got = read_all(file);
  fs::remove(file);
  if (got != std::to_string(n)) throw std::runtime_error(what + " holds " + got + " rows, not " + std::to_string(n));
}

// `sluice query` of the whole table against `baseline` (a shell command
// printing the same rows), both read from a pipe as they come.
void query_case(const char* label, long n, const fs::path& dir, const std::string& plugin, const std::string& config,
                const std::string& baseline) {
  std::ofstream(dir / "query.json") << R"({"source":{"plugin":")" << plugin << R"(","config":)" << config << "}}";
  const std::string load = load_average();
  const ReadingRun query = run_reading(dir, {SLUICE_CLI_PATH, "query", (dir / "query.json").string(),
                                             "SELECT * FROM events", "--format", "csv", "--timeout", "3600"});
  const std::string base_load = load_average();
  const ReadingRun base = run_reading(dir, {"/bin/sh", "-c", baseline});
  const double rate = static_cast<double>(n) / query.seconds, base_rate = static_cast<double>(n) / base.seconds;
  std::printf("%-24s %12.0f %6s %15.0f %6s %6.0f%% %9.1f   first byte %.3f s (baseline %.3f s)\n", label, rate,
              load.c_str(), base_rate, base_load.c_str(), 100 * rate / base_rate,
              static_cast<double>(query.peak_rss_kb) / 1024, query.first_byte_seconds, base.first_byte_seconds);
  std::fflush(stdout);
}

void postgres_cases(const Server& pg, long n, const fs::path& dir) {
  const std::string source = "sluice_bench_src_" + std::to_string(getpid());
  const std::string target = "sluice_bench_dst_" + std::to_string(getpid());
  const std::string piped = "sluice_bench_pipe_" + std::to_string(getpid());
  for (const auto& db : {source, target, piped}) pg.sql(pg.url.database, "CREATE DATABASE " + db);
  pg.sql(source, kPostgresTable);
  std::string fill = kPostgresFill;
  fill.replace(fill.rfind("N)"), 1, std::to_string(n));
  pg.sql(source, fill);
  pg.sql(source, "VACUUM ANALYZE events");
  const std::string config = R"({"url":")" + with_database(pg.url, source) + R"("})";

  Figure to_pg = sync_once(dir, "postgres", config, "public", with_database(pg.url, target));
  require_rows(pg.client(target) + " -t -A -c 'SELECT count(*) FROM public.events'", n, "the PostgreSQL target");
  Figure to_sqlite = sync_once(dir, "postgres", config, "public", "sqlite://" + (dir / "pg.db").string());
  require_rows("sqlite3 " + (dir / "pg.db").string() + " 'SELECT count(*) FROM public__events'", n, "the SQLite target");

  std::string columns = kPostgresTable;
  pg.sql(piped, columns);
  Figure pipe = timed(pg.client(source) + " -c '\\copy (SELECT * FROM events) TO STDOUT' | " + pg.client(piped) +
                      " -c '\\copy events FROM STDIN'");
  require_rows(pg.client(piped) + " -t -A -c 'SELECT count(*) FROM events'", n, "the piped copy");
  print_row("PostgreSQL -> PostgreSQL", n, to_pg, pipe);
  print_row("PostgreSQL -> SQLite", n, to_sqlite, pipe);
  query_case("PostgreSQL query", n, dir, "postgres", config,
             pg.client(source) + " -c '\\copy (SELECT * FROM events) TO STDOUT'");
  for (const auto& db : {source, target, piped}) pg.sql(pg.url.database, "DROP DATABASE " + db);
}

void mariadb_cases(const Server& maria, long n, const fs::path& dir) {
  const std::string source = "sluice_bench_src_" + std::to_string(getpid());
  const std::string piped = "sluice_bench_pipe_" + std::to_string(getpid());
  for (const auto& db : {source, piped}) maria.sql(maria.url.database, "CREATE DATABASE " + db);
  maria.sql(source, kMariadbTable);
  std::string fill = kMariadbFill;
  fill.replace(fill.rfind("N"), 1, std::to_string(n));
  maria.sql(source, fill);
  maria.sql(source, "ANALYZE TABLE events");
  const std::string config = R"({"host":")" + maria.url.host + R"(","port":)" + std::to_string(maria.url.port) +
                             R"(,"user":")" + maria.url.user + R"(","password":")" + maria.url.password +
                             R"(","database":")" + source + R"("})";

  Figure to_sqlite = sync_once(dir, "mysql", config, source, "sqlite://" + (dir / "maria.db").string());
  require_rows("sqlite3 " + (dir / "maria.db").string() + " 'SELECT count(*) FROM " + source + "__events'", n,
               "the SQLite target");
  Figure pipe = timed("mysqldump --no-defaults --single-transaction -h " + maria.url.host + " -P " +
                      std::to_string(maria.url.port) + " -u " + maria.url.user + " " + source + " events | " +
                      maria.client(piped));
  require_rows(maria.client(piped) + " -N -B -e 'SELECT count(*) FROM events'", n, "the piped copy");
  print_row("MariaDB -> SQLite", n, to_sqlite, pipe);
  query_case("MariaDB query", n, dir, "mysql", config,
             maria.client(source) + " --quick -B -N -e 'SELECT * FROM events'");
  for (const auto& db : {source, piped}) maria.sql(maria.url.database, "DROP DATABASE " + db);
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1000000;
  std::string only, given_postgres, given_mariadb;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else if (arg == "--postgres" && i + 1 < argc) given_postgres = argv[++i];
    else if (arg == "--mariadb" && i + 1 < argc) given_mariadb = argv[++i];
    else n = std::stol(arg);
  }
  const fs::path scripts = fs::path(SLUICE_SOURCE_DIR) / "scripts" / "test-servers";
  const fs::path dir = fs::temp_directory_path() / ("sluice-bench-sql-" + std::to_string(getpid()));
  fs::create_directories(dir);

  std::printf("full_refresh_overwrite and query of %ld rows (10 columns); sluice and baseline rows/s, each with "
              "the 1-minute load average when it ran\n%-24s %12s %6s %15s %6s %7s %9s\n",
              n, "case", "sluice rows/s", "load", "baseline rows/s", "load", "ratio", "RSS MB");
  int failures = 0;
  for (std::string name : {"postgres", "mariadb"}) {
    if (!only.empty() && only != name) continue;
    const fs::path state = dir / ("server-" + name);
    std::string given = name == "postgres" ? given_postgres : given_mariadb;
    try {
      if (given.empty()) {
        shell("bash " + (scripts / (name + ".sh")).string() + " start " + state.string() + " > /dev/null");
        given = read_all(state / "url");
      }
      Server server{name, sluice::host::parse_target_url(given)};
      // The clients read the password from the environment, never from a
      // command line (which an error message would print).
      setenv(name == "postgres" ? "PGPASSWORD" : "MYSQL_PWD", server.url.password.c_str(), 1);
      if (name == "postgres") postgres_cases(server, n, dir);
      else mariadb_cases(server, n, dir);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
      ++failures;
    }
    if ((name == "postgres" ? given_postgres : given_mariadb).empty()) {
      shell("bash " + (scripts / (name + ".sh")).string() + " destroy " + state.string());
    }
  }
  fs::remove_all(dir);
  return failures ? 1 : 0;
}
