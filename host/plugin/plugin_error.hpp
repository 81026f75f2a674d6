// Errors raised on the host side of the plugin boundary.
#pragma once

#include "host/common/host_error.hpp"

namespace sluice::host {

// A plugin call failed: the plugin's own message and error kind, or a host
// failure it was told about. Exit code 1.
class PluginError : public HostError {
 public:
  PluginError(ErrorKind kind, const std::string& message) : HostError(Failure::plugin, message, kind) {}
};

// A plugin could not be found or loaded. Exit code 3.
class PluginLoadError : public HostError {
 public:
  explicit PluginLoadError(const std::string& message) : HostError(Failure::plugin_load, message) {}
};

}  // namespace sluice::host
