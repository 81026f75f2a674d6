// The daemon's settings: `sluice serve --config serve.json` (docs/daemon.md).
// Every field is optional; with no file at all the daemon listens on
// 127.0.0.1:8080 and keeps its store in ./sluice-server.db.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sluice::host::serve {

// The query endpoint's defaults and caps (serve.json "query"): a request
// that leaves a limit out gets the cap; one that asks for more than a cap is
// refused (422) naming it.
struct QueryLimits {
  uint64_t max_rows = 100'000;
  uint64_t max_bytes = uint64_t{100} << 20;  // of the rows' JSON text
  std::chrono::seconds default_timeout{60};
  std::chrono::seconds max_timeout{300};
  size_t max_concurrent = 4;                 // queries running at once on this host (more: 429)
  uint64_t max_bytes_billed = 0;             // BigQuery's maximumBytesBilled cap; 0 = none
};

struct ServeConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;                 // 0: the system picks one (printed on stdout)
  std::filesystem::path port_file;        // "": none; else the bound port is written there
  std::filesystem::path tls_certificate;  // both set: HTTPS (PEM files)
  std::filesystem::path tls_private_key;
  std::string store_url = "sqlite://./sluice-server.db";
  // The AES-256-GCM key for secrets at rest: 32 bytes as 64 hex digits, read
  // from the environment variable `secrets_key_env` if set, else from the
  // file `secrets_key_file` (created with a new random key, mode 0600, when
  // absent: zero set-up on one machine).
  std::string secrets_key_env = "SLUICE_SECRETS_KEY";
  std::filesystem::path secrets_key_file = "./sluice-server.key";
  std::vector<std::string> plugin_dirs;
  size_t max_concurrent_syncs = 4;        // on this host
  size_t max_concurrent_per_plugin = 2;   // runs of one plugin at once on this host
  std::map<std::string, size_t> plugin_limits;  // plugin -> its own limit instead
  // Limits of each child (ChildRunOptions): 0 = none.
  std::chrono::seconds run_timeout{0};
  uint64_t memory_limit_mb = 0;
  // Several hosts: how long a claim holds without a heartbeat (renewed
  // every third of it); another host takes a job over once it has expired.
  std::chrono::seconds lease{30};
  // Retries of transient and rate_limited failures (retry_policy.hpp).
  int retry_max = 5;
  std::chrono::seconds retry_initial{30};
  double retry_factor = 2;
  std::chrono::seconds retry_cap{1800};
  // How often the scheduler looks for due connections (real time).
  std::chrono::milliseconds tick{1000};
  // Tests only: the scheduler's clock is read from this file (whole seconds
  // since the epoch) instead of the system clock, so tests move time.
  std::filesystem::path clock_file;
  std::filesystem::path work_dir = "./sluice-server-work";  // per-job files and logs
  std::string host_id;                    // "": hostname:pid (claimed_by in the jobs table)
  // Push ingestion (docs/ingest.md).
  std::string ingest_default_target = "sqlite://./sluice.db";  // of streams that name none
  size_t ingest_max_request_bytes = 16u << 20;       // a request's body as sent (413 above)
  size_t ingest_max_decompressed_bytes = 64u << 20;  // a gzip body once inflated (413 above)
  uint64_t ingest_max_csv_bytes = 1ull << 32;  // a CSV upload, as sent and inflated (413 above)
  // Per API key: a token bucket of requests to /v1/ingest/ (429 with
  // Retry-After when empty). 0 = no limit.
  double ingest_requests_per_second = 200;
  double ingest_burst = 400;
  QueryLimits query;
};

// Reads `file` ("" = the defaults). Throws ConfigError with one line per
// problem, each naming the file and the JSON path ("serve.json: listen.port:
// expected an integer from 0 to 65535").
ServeConfig load_serve_config(const std::filesystem::path& file);

}  // namespace sluice::host::serve
