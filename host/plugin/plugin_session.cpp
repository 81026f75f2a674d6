#include "host/plugin/plugin_session.hpp"

#include "host/plugin/call_guard.hpp"
#include "host/plugin/plugin_error.hpp"

#include <utility>

namespace sluice::host {

namespace {

namespace json = boost::json;

// Owns a sluice_error for one call and releases it exactly once.
class ErrorSlot {
 public:
  ErrorSlot() { error_.struct_size = sizeof(error_); }
  ~ErrorSlot() {
    if (error_.release) error_.release(&error_);
  }
  ErrorSlot(const ErrorSlot&) = delete;
  ErrorSlot& operator=(const ErrorSlot&) = delete;
  sluice_error* get() { return &error_; }

  // The plugin layer's context, said once: "PLUGIN CALL: message".
  [[noreturn]] void raise(const Plugin& plugin, const char* call) {
    std::string message = error_.message ? error_.message : "no error message";
    throw PluginError(error_kind_from_abi(error_.kind), plugin.name() + " " + call + ": " + message);
  }

 private:
  sluice_error error_{};
};

// Owns a sluice_buffer for one call and releases it exactly once.
class BufferSlot {
 public:
  ~BufferSlot() {
    if (buffer_.release) buffer_.release(&buffer_);
  }
  sluice_buffer* get() { return &buffer_; }
  std::string_view view() const { return {buffer_.data ? buffer_.data : "", buffer_.size}; }

 private:
  sluice_buffer buffer_{};
};

sluice_str as_str(std::string_view text) { return {text.data(), text.size()}; }

std::string selection_json(const std::vector<StreamName>& selection) {
  if (selection.empty()) return "";
  json::array streams;
  for (const auto& s : selection) {
    streams.push_back(json::object{{"namespace", s.ns.empty() ? json::value(nullptr) : json::value(s.ns)},
                                   {"name", s.name}});
  }
  return json::serialize(json::object{{"streams", std::move(streams)}});
}

}  // namespace

void PluginSession::Router::records(std::string_view ns, std::string_view stream, std::string_view ndjson) {
  HostCallbacks* current = current_.load();
  if (!current) throw PluginError(ErrorKind::internal, "records may only be emitted inside read()");
  current->records(ns, stream, ndjson);
}

void PluginSession::Router::record_batch(std::string_view ns, std::string_view stream,
                                         const sluice_record_batch* batch) {
  HostCallbacks* current = current_.load();
  if (!current) throw PluginError(ErrorKind::internal, "records may only be emitted inside read()");
  current->record_batch(ns, stream, batch);
}

void PluginSession::Router::state(std::string_view ns, std::string_view stream, std::string_view state_json) {
  HostCallbacks* current = current_.load();
  if (!current) throw PluginError(ErrorKind::internal, "state may only be emitted inside read()");
  current->state(ns, stream, state_json);
}

void PluginSession::Router::columns(std::string_view columns_json) {
  HostCallbacks* current = current_.load();
  if (!current) throw PluginError(ErrorKind::internal, "result columns may only be emitted inside a query");
  current->columns(columns_json);
}

void PluginSession::Router::rows(std::string_view ndjson_rows) {
  HostCallbacks* current = current_.load();
  if (!current) throw PluginError(ErrorKind::internal, "result rows may only be emitted inside a query");
  current->rows(ndjson_rows);
}

PluginSession::PluginSession(const Plugin& plugin, const json::object& config, HostCallbacks& idle,
                             bool for_query)
    : plugin_(plugin), config_json_(json::serialize(config)), router_(idle), for_query_(for_query) {
  if (!plugin_.has_sessions()) return;
  host_ = make_host_api(router_, for_query_);
  PluginCallGuard guard(plugin_.name(), "open");  // before the slots: covers their release callbacks
  ErrorSlot error;
  sluice_session* opened = nullptr;
  if (plugin_.api().open(as_str(config_json_), &host_, &opened, error.get()) != SLUICE_OK) {
    error.raise(plugin_, "open");
  }
  if (!opened) throw PluginError(ErrorKind::internal, plugin_.name() + " open: returned no session");
  session_ = opened;
}

PluginSession::~PluginSession() {
  if (!session_) return;
  PluginCallGuard guard(plugin_.name(), "close");
  plugin_.api().close(session_);
}

// Routes a native session's callbacks to one call's for its duration.
class PluginSession::CallRoute {
 public:
  CallRoute(Router& router, HostCallbacks& callbacks) : router_(router) { router_.route(&callbacks); }
  ~CallRoute() { router_.route(nullptr); }
  CallRoute(const CallRoute&) = delete;
  CallRoute& operator=(const CallRoute&) = delete;

 private:
  Router& router_;
};

void PluginSession::check(HostCallbacks& callbacks) {
  PluginCallGuard guard(plugin_.name(), "check");
  ErrorSlot error;
  sluice_status status;
  if (session_) {
    CallRoute route(router_, callbacks);
    status = plugin_.api().session_check(session_, error.get());
  } else {
    sluice_host_api host = make_host_api(callbacks);
    status = plugin_.api().check(as_str(config_json_), &host, error.get());
  }
  if (status != SLUICE_OK) error.raise(plugin_, "check");
}

json::object PluginSession::discover(const std::vector<StreamName>& selection, HostCallbacks& callbacks) {
  PluginCallGuard guard(plugin_.name(), "discover");
  ErrorSlot error;
  BufferSlot out;
  sluice_status status;
  if (session_) {
    CallRoute route(router_, callbacks);
    std::string hint = selection_json(selection);
    status = plugin_.api().session_discover(session_, as_str(hint), out.get(), error.get());
  } else {
    sluice_host_api host = make_host_api(callbacks);
    status = plugin_.api().discover(as_str(config_json_), &host, out.get(), error.get());
  }
  if (status == SLUICE_CANCELLED) throw HostError(Failure::cancelled, plugin_.name() + " discover: cancelled");
  if (status != SLUICE_OK) error.raise(plugin_, "discover");
  json::error_code ec;
  json::value catalog = json::parse(out.view(), ec);
  if (ec || !catalog.is_object() || !catalog.as_object().contains("streams") ||
      !catalog.as_object().at("streams").is_array()) {
    throw PluginError(ErrorKind::internal,
                      plugin_.name() + " discover: the catalog is not a JSON object with a \"streams\" array");
  }
  return std::move(catalog.as_object());
}

void PluginSession::read(const std::string& configured_catalog_json, const std::string& state_json,
                         HostCallbacks& callbacks) {
  PluginCallGuard guard(plugin_.name(), "read", catalog_stream_names(configured_catalog_json));
  ErrorSlot error;
  sluice_status status;
  if (session_) {
    CallRoute route(router_, callbacks);
    status = plugin_.api().session_read(session_, as_str(configured_catalog_json), as_str(state_json), error.get());
  } else {
    sluice_host_api host = make_host_api(callbacks);
    status = plugin_.api().read(as_str(config_json_), as_str(configured_catalog_json), as_str(state_json), &host,
                                error.get());
  }
  if (status == SLUICE_CANCELLED) throw RunCancelled{};
  if (status != SLUICE_OK) error.raise(plugin_, "read");
}

json::object PluginSession::query(const std::string& request_json, HostCallbacks& callbacks) {
  if (plugin_.query_dialect().empty()) {
    throw PluginError(ErrorKind::config, plugin_.name() + " cannot run queries (it declares no query_dialect)");
  }
  if (!session_ || !for_query_) {
    throw PluginError(ErrorKind::internal, plugin_.name() + " query: the session was not opened for queries");
  }
  PluginCallGuard guard(plugin_.name(), "query");
  ErrorSlot error;
  BufferSlot out;
  sluice_status status;
  {
    CallRoute route(router_, callbacks);
    status = plugin_.api().session_query(session_, as_str(request_json), out.get(), error.get());
  }
  if (status == SLUICE_CANCELLED) throw RunCancelled{};
  if (status != SLUICE_OK) error.raise(plugin_, "query");
  json::error_code ec;
  json::value facts = json::parse(out.view().empty() ? std::string_view("{}") : out.view(), ec);
  if (ec || !facts.is_object()) {
    throw PluginError(ErrorKind::internal, plugin_.name() + " query: its facts are not a JSON object");
  }
  return std::move(facts.as_object());
}

}  // namespace sluice::host
