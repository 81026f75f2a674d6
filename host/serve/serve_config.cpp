#include "host/serve/serve_config.hpp"

#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"

#include <boost/json.hpp>

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
  r.check_keys(top, {"listen", "tls", "store", "secrets_key", "plugin_dirs", "max_concurrent_syncs", "work_dir",
                     "host_id"},
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
  std::string work_dir = config.work_dir.string();
  r.string(top, "work_dir", "work_dir", work_dir);
  config.work_dir = work_dir;
  r.string(top, "host_id", "host_id", config.host_id);
  r.finish();
  return config;
}

}  // namespace sluice::host::serve
