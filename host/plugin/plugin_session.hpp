// One connector session (plugin.h, ABI 1.1): the host opens it once per
// command with the config and makes every call of that command on it, so a
// connector keeps its token, connections and metadata across streams. A
// plugin built against ABI 1.0 has no sessions: the same class then makes
// the per-call 1.0 calls with the config each time, so callers never care.
#pragma once

#include "host/plugin/host_callbacks.hpp"
#include "host/plugin/plugin.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace sluice::host {

// A stream the host names in a discover hint ("" namespace: any).
struct StreamName {
  std::string ns;
  std::string name;
};

class PluginSession {
 public:
  // Opens the session. `idle` receives the plugin's logs between calls and
  // during open/close; it must outlive the session. `for_query`: a session
  // for query() (its host table has emit_columns and emit_rows). Throws
  // PluginError.
  PluginSession(const Plugin& plugin, const boost::json::object& config, HostCallbacks& idle,
                bool for_query = false);
  ~PluginSession();  // closes a native session
  PluginSession(const PluginSession&) = delete;
  PluginSession& operator=(const PluginSession&) = delete;

  const Plugin& plugin() const { return plugin_; }
  bool native() const { return session_ != nullptr; }

  // Each call routes the plugin's callbacks to `callbacks` for its duration
  // and throws PluginError ("PLUGIN CALL: message", with the plugin's kind)
  // on failure.
  void check(HostCallbacks& callbacks);
  // `selection` empty: every stream. Returns the catalog object, whose
  // "streams" member is checked to be an array.
  boost::json::object discover(const std::vector<StreamName>& selection, HostCallbacks& callbacks);
  // Throws RunCancelled when the plugin reports SLUICE_CANCELLED.
  void read(const std::string& configured_catalog_json, const std::string& state_json, HostCallbacks& callbacks);
  // ABI 1.3: runs one statement the host has checked (plugin.h's request
  // JSON); the result reaches callbacks.columns/rows. Returns the plugin's
  // facts object. Throws RunCancelled when the plugin reports SLUICE_CANCELLED,
  // PluginError when the plugin cannot query or the session was not opened
  // for queries.
  boost::json::object query(const std::string& request_json, HostCallbacks& callbacks);

 private:
  // The callbacks a native session's host table points at: whichever call
  // is running, else `idle`.
  class Router : public HostCallbacks {
   public:
    explicit Router(HostCallbacks& idle) : idle_(idle) {}
    void route(HostCallbacks* callbacks) { current_.store(callbacks); }
    void records(std::string_view ns, std::string_view stream, std::string_view ndjson) override;
    void record_batch(std::string_view ns, std::string_view stream, const sluice_record_batch* batch) override;
    void state(std::string_view ns, std::string_view stream, std::string_view state_json) override;
    void log(int32_t level, std::string_view message) override { target().log(level, message); }
    void progress(std::string_view ns, std::string_view stream, int64_t done, int64_t total) override {
      target().progress(ns, stream, done, total);
    }
    bool cancelled() override { return target().cancelled(); }
    void columns(std::string_view columns_json) override;
    void rows(std::string_view ndjson_rows) override;

   private:
    HostCallbacks& target() {
      HostCallbacks* current = current_.load();
      return current ? *current : idle_;
    }
    HostCallbacks& idle_;
    std::atomic<HostCallbacks*> current_{nullptr};
  };

  class CallRoute;

  const Plugin& plugin_;
  std::string config_json_;
  Router router_;
  sluice_host_api host_{};
  sluice_session* session_ = nullptr;
  bool for_query_ = false;
};

}  // namespace sluice::host
