#include "host/serve/serve_config.hpp"

#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

// Collects every problem before throwing, so one run shows them all.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void fail(const std::string& path, const std::string& what) { lines_.push_back(file_ + ": " + path + ": " + what); }

  const json::object* object(const json::object& parent, const char* key, const std::string& path) {
    auto it = parent.find(key);
    if (it == parent.end()) return nullptr;
    if (!it->value().is_object()) {
      fail(path, "expected an object");
      return nullptr;
    }
    return &it->value().as_object();
  }
  void string(const json::object& parent, const char* key, const std::string& path, std::string& out) {
    auto it = parent.find(key);
    if (it == parent.end()) return;
    if (!it->value().is_string()) return fail(path, "expected a string");
    out = std::string(it->value().as_string());
  }
  void integer(const json::object& parent, const char* key, const std::string& path, long long low, long long high,
               long long& out) {
    auto it = parent.find(key);
    if (it == parent.end()) return;
    const json::value& v = it->value();
    if (!v.is_int64() || v.as_int64() < low || v.as_int64() > high) {
      return fail(path, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
    }
    out = v.as_int64();
  }
  void check_keys(const json::object& object, const std::set<std::string>& known, const std::string& prefix) {
    for (const auto& kv : object) {
      if (!known.count(std::string(kv.key()))) fail(prefix + std::string(kv.key()), "unknown setting");
    }
  }
  void finish() const {
    if (!lines_.empty()) throw ConfigError(lines_);
  }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

}  // namespace

ServeConfig load_serve_config(const std::filesystem::path& file) {
  ServeConfig config;
  if (file.empty()) return config;
  std::string text;
  try {
    text = read_regular_file(file, 1 << 20);
  } catch (const UnreadableFile& e) {
    throw ConfigError(file.string() + ": " + e.what());
  }
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) throw ConfigError(file.string() + ": not valid JSON (" + ec.message() + ")");
  if (!root.is_object()) throw ConfigError(file.string() + ": expected a JSON object");
  const json::object& top = root.as_object();
  Reader r(file.string());
  r.check_keys(top, {"listen", "tls", "store", "secrets_key", "plugin_dirs", "max_concurrent_syncs",
                     "max_concurrent_per_plugin", "plugin_limits", "run_timeout_seconds", "memory_limit_mb",
                     "lease_seconds", "retry", "scheduler", "work_dir", "host_id", "ingest", "query"},
               "");
  if (const auto* listen = r.object(top, "listen", "listen")) {
    r.check_keys(*listen, {"host", "port", "port_file"}, "listen.");
    r.string(*listen, "host", "listen.host", config.listen_host);
    long long port = config.listen_port;
    r.integer(*listen, "port", "listen.port", 0, 65535, port);
    config.listen_port = static_cast<int>(port);
    std::string port_file;
    r.string(*listen, "port_file", "listen.port_file", port_file);
    config.port_file = port_file;
  }
  if (const auto* tls = r.object(top, "tls", "tls")) {
    r.check_keys(*tls, {"certificate", "private_key"}, "tls.");
    std::string cert, key;
    r.string(*tls, "certificate", "tls.certificate", cert);
    r.string(*tls, "private_key", "tls.private_key", key);
    if (cert.empty() != key.empty()) r.fail("tls", "certificate and private_key go together");
    config.tls_certificate = cert;
    config.tls_private_key = key;
  }
  r.string(top, "store", "store", config.store_url);
  if (const auto* key = r.object(top, "secrets_key", "secrets_key")) {
    r.check_keys(*key, {"env", "file"}, "secrets_key.");
    r.string(*key, "env", "secrets_key.env", config.secrets_key_env);
    std::string key_file = config.secrets_key_file.string();
    r.string(*key, "file", "secrets_key.file", key_file);
    config.secrets_key_file = key_file;
  }
  if (auto it = top.find("plugin_dirs"); it != top.end()) {
    if (!it->value().is_array()) {
      r.fail("plugin_dirs", "expected an array of folder names");
    } else {
      size_t i = 0;
      for (const auto& dir : it->value().as_array()) {
        if (!dir.is_string()) r.fail("plugin_dirs[" + std::to_string(i) + "]", "expected a string");
        else config.plugin_dirs.emplace_back(dir.as_string());
        ++i;
      }
    }
  }
  long long max_syncs = static_cast<long long>(config.max_concurrent_syncs);
  r.integer(top, "max_concurrent_syncs", "max_concurrent_syncs", 1, 1024, max_syncs);
  config.max_concurrent_syncs = static_cast<size_t>(max_syncs);
  long long per_plugin = static_cast<long long>(config.max_concurrent_per_plugin);
  r.integer(top, "max_concurrent_per_plugin", "max_concurrent_per_plugin", 1, 1024, per_plugin);
  config.max_concurrent_per_plugin = static_cast<size_t>(per_plugin);
  if (const auto* limits = r.object(top, "plugin_limits", "plugin_limits")) {
    for (const auto& kv : *limits) {
      long long limit = 0;
      const std::string key(kv.key());
      r.integer(*limits, key.c_str(), "plugin_limits." + key, 1, 1024, limit);
      if (limit > 0) config.plugin_limits[key] = static_cast<size_t>(limit);
    }
  }
  long long timeout = 0;
  r.integer(top, "run_timeout_seconds", "run_timeout_seconds", 0, 30LL * 86400, timeout);
  config.run_timeout = std::chrono::seconds(timeout);
  if (auto it = top.find("memory_limit_mb"); it != top.end()) {
    // RLIMIT_AS: a sluice process needs a few hundred MiB of address space
    // before it reads anything, so a smaller limit fails every run.
    const json::value& v = it->value();
    if (!v.is_int64() || v.as_int64() < 0 || (v.as_int64() > 0 && v.as_int64() < 512) || v.as_int64() > (1LL << 22)) {
      r.fail("memory_limit_mb", "expected 0 (no limit) or an integer from 512 to 4194304 (MiB of address space)");
    } else {
      config.memory_limit_mb = static_cast<uint64_t>(v.as_int64());
    }
  }
  long long lease = config.lease.count();
  r.integer(top, "lease_seconds", "lease_seconds", 2, 3600, lease);
  config.lease = std::chrono::seconds(lease);
  if (const auto* retry = r.object(top, "retry", "retry")) {
    r.check_keys(*retry, {"max_retries", "initial_seconds", "factor", "cap_seconds"}, "retry.");
    long long max = config.retry_max, initial = config.retry_initial.count(), cap = config.retry_cap.count();
    r.integer(*retry, "max_retries", "retry.max_retries", 0, 100, max);
    r.integer(*retry, "initial_seconds", "retry.initial_seconds", 1, 86400, initial);
    r.integer(*retry, "cap_seconds", "retry.cap_seconds", 1, 7 * 86400, cap);
    if (auto it = retry->find("factor"); it != retry->end()) {
      const json::value& v = it->value();
      const double factor = v.is_double() ? v.as_double() : v.is_int64() ? static_cast<double>(v.as_int64()) : 0;
      if (!(factor >= 1 && factor <= 10)) r.fail("retry.factor", "expected a number from 1 to 10");
      else config.retry_factor = factor;
    }
    if (cap < initial) r.fail("retry.cap_seconds", "must be at least retry.initial_seconds");
    config.retry_max = static_cast<int>(max);
    config.retry_initial = std::chrono::seconds(initial);
    config.retry_cap = std::chrono::seconds(cap);
  }
  if (const auto* scheduler = r.object(top, "scheduler", "scheduler")) {
    r.check_keys(*scheduler, {"tick_ms", "clock_file"}, "scheduler.");
    long long tick = config.tick.count();
    r.integer(*scheduler, "tick_ms", "scheduler.tick_ms", 10, 60000, tick);
    config.tick = std::chrono::milliseconds(tick);
    std::string clock;
    r.string(*scheduler, "clock_file", "scheduler.clock_file", clock);
    config.clock_file = clock;
  }
  if (const auto* ingest = r.object(top, "ingest", "ingest")) {
    r.check_keys(*ingest,
                 {"default_target", "max_request_bytes", "max_decompressed_bytes", "max_csv_bytes", "rate_limit"},
                 "ingest.");
    r.string(*ingest, "default_target", "ingest.default_target", config.ingest_default_target);
    long long body = static_cast<long long>(config.ingest_max_request_bytes);
    long long inflated = static_cast<long long>(config.ingest_max_decompressed_bytes);
    r.integer(*ingest, "max_request_bytes", "ingest.max_request_bytes", 1024, 1LL << 30, body);
    r.integer(*ingest, "max_decompressed_bytes", "ingest.max_decompressed_bytes", 1024, 1LL << 32, inflated);
    config.ingest_max_request_bytes = static_cast<size_t>(body);
    config.ingest_max_decompressed_bytes = static_cast<size_t>(inflated);
    long long csv = static_cast<long long>(config.ingest_max_csv_bytes);
    r.integer(*ingest, "max_csv_bytes", "ingest.max_csv_bytes", 1024, 1LL << 40, csv);
    config.ingest_max_csv_bytes = static_cast<uint64_t>(csv);
    if (const auto* limit = r.object(*ingest, "rate_limit", "ingest.rate_limit")) {
      r.check_keys(*limit, {"requests_per_second", "burst"}, "ingest.rate_limit.");
      long long rate = static_cast<long long>(config.ingest_requests_per_second);
      long long burst = static_cast<long long>(config.ingest_burst);
      r.integer(*limit, "requests_per_second", "ingest.rate_limit.requests_per_second", 0, 1000000, rate);
      r.integer(*limit, "burst", "ingest.rate_limit.burst", 1, 1000000, burst);
      config.ingest_requests_per_second = static_cast<double>(rate);
      config.ingest_burst = static_cast<double>(burst);
    }
  }
  if (const auto* query = r.object(top, "query", "query")) {
    r.check_keys(*query,
                 {"max_rows", "max_bytes", "default_timeout_seconds", "max_timeout_seconds", "max_concurrent",
                  "max_bytes_billed"},
                 "query.");
    QueryLimits& q = config.query;
    long long rows = static_cast<long long>(q.max_rows), bytes = static_cast<long long>(q.max_bytes);
    long long fallback = q.default_timeout.count(), most = q.max_timeout.count();
    long long concurrent = static_cast<long long>(q.max_concurrent), billed = 0;
    r.integer(*query, "max_rows", "query.max_rows", 1, 1LL << 40, rows);
    r.integer(*query, "max_bytes", "query.max_bytes", 1, 1LL << 50, bytes);
    r.integer(*query, "default_timeout_seconds", "query.default_timeout_seconds", 1, 7 * 86400, fallback);
    r.integer(*query, "max_timeout_seconds", "query.max_timeout_seconds", 1, 7 * 86400, most);
    r.integer(*query, "max_concurrent", "query.max_concurrent", 1, 1024, concurrent);
    r.integer(*query, "max_bytes_billed", "query.max_bytes_billed", 0, 1LL << 60, billed);
    if (!query->contains("default_timeout_seconds")) fallback = std::min(fallback, most);
    if (fallback > most) r.fail("query.default_timeout_seconds", "must be at most query.max_timeout_seconds");
    q.max_rows = static_cast<uint64_t>(rows);
    q.max_bytes = static_cast<uint64_t>(bytes);
    q.default_timeout = std::chrono::seconds(fallback);
    q.max_timeout = std::chrono::seconds(most);
    q.max_concurrent = static_cast<size_t>(concurrent);
    q.max_bytes_billed = static_cast<uint64_t>(billed);
  }
  std::string work_dir = config.work_dir.string();
  r.string(top, "work_dir", "work_dir", work_dir);
  config.work_dir = work_dir;
  r.string(top, "host_id", "host_id", config.host_id);
  r.finish();
  return config;
}

}  // namespace sluice::host::serve
