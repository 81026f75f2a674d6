#include "host/plugin/plugin.hpp"

#include "host/plugin/call_guard.hpp"
#include "host/plugin/plugin_error.hpp"

#include <utility>

namespace sluice::host {

namespace {

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

  [[noreturn]] void raise(const std::string& plugin, const char* call) {
    std::string message = error_.message ? error_.message : "no error message";
    throw PluginError(static_cast<ErrorKind>(error_.kind), plugin + " " + call + ": " + message);
  }

 private:
  sluice_error error_{};
};

sluice_str as_str(const std::string& text) { return {text.data(), text.size()}; }

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

}  // namespace

Plugin::Plugin(std::filesystem::path path, std::shared_ptr<boost::dll::shared_library> library,
               const sluice_plugin_api& api, boost::json::object spec)
    : path_(std::move(path)), library_(std::move(library)), api_(api), spec_(std::move(spec)) {}

std::string Plugin::documentation_url() const {
  return info().documentation_url ? info().documentation_url : "";
}

std::string Plugin::abi_version() const {
  return std::to_string(info().abi_major) + "." + std::to_string(info().abi_minor);
}

void Plugin::check(const boost::json::object& config, HostCallbacks& callbacks) const {
  std::string config_json = boost::json::serialize(config);
  sluice_host_api host = make_host_api(callbacks);
  // Declared first, so it also covers the release callbacks below.
  PluginCallGuard guard(name(), "check");
  ErrorSlot error;
  if (api_.check(as_str(config_json), &host, error.get()) != SLUICE_OK) {
    error.raise(name(), "check");
  }
}

boost::json::object Plugin::discover(const boost::json::object& config,
                                     HostCallbacks& callbacks) const {
  std::string config_json = boost::json::serialize(config);
  sluice_host_api host = make_host_api(callbacks);
  PluginCallGuard guard(name(), "discover");
  ErrorSlot error;
  BufferSlot out;
  if (api_.discover(as_str(config_json), &host, out.get(), error.get()) != SLUICE_OK) {
    error.raise(name(), "discover");
  }
  boost::json::error_code ec;
  boost::json::value catalog = boost::json::parse(out.view(), ec);
  if (ec || !catalog.is_object() || !catalog.as_object().contains("streams") ||
      !catalog.as_object().at("streams").is_array()) {
    throw PluginError(ErrorKind::internal,
                      name() + " discover: the catalog is not a JSON object with a \"streams\" array");
  }
  return std::move(catalog.as_object());
}

void Plugin::read(const boost::json::object& config, const std::string& configured_catalog_json,
                  const std::string& state_json, HostCallbacks& callbacks) const {
  std::string config_json = boost::json::serialize(config);
  sluice_host_api host = make_host_api(callbacks);
  PluginCallGuard guard(name(), "read", catalog_stream_names(configured_catalog_json));
  ErrorSlot error;
  sluice_status status = api_.read(as_str(config_json), as_str(configured_catalog_json),
                                   as_str(state_json), &host, error.get());
  if (status == SLUICE_CANCELLED) throw RunCancelled{};
  if (status != SLUICE_OK) error.raise(name(), "read");
}

}  // namespace sluice::host
