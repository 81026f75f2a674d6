// The daemon's settings: `sluice serve --config serve.json` (docs/daemon.md).
// Every field is optional; with no file at all the daemon listens on
// 127.0.0.1:8080 and keeps its store in ./sluice-server.db.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice::host::serve {

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
  size_t max_concurrent_syncs = 4;
  std::filesystem::path work_dir = "./sluice-server-work";  // per-job files and logs
  std::string host_id;                    // "": hostname:pid (claimed_by in the jobs table)
};

// Reads `file` ("" = the defaults). Throws ConfigError with one line per
// problem, each naming the file and the JSON path ("serve.json: listen.port:
// expected an integer from 0 to 65535").
ServeConfig load_serve_config(const std::filesystem::path& file);

}  // namespace sluice::host::serve
