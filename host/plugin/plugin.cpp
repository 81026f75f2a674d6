#include "host/plugin/plugin.hpp"

#include <utility>

namespace sluice::host {

Plugin::Plugin(std::filesystem::path path, std::shared_ptr<boost::dll::shared_library> library,
               const sluice_plugin_api& api, boost::json::object spec)
    : path_(std::move(path)), library_(std::move(library)), api_(api), spec_(std::move(spec)) {}

std::string Plugin::documentation_url() const {
  return info().documentation_url ? info().documentation_url : "";
}

std::string Plugin::abi_version() const {
  return std::to_string(info().abi_major) + "." + std::to_string(info().abi_minor);
}

}  // namespace sluice::host
