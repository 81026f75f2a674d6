// The files `sluice new-plugin` writes: examples/out-of-tree-plugin, embedded
// at build time (cmake/embed_files.cmake), so the skeleton is always the
// example that CI builds and tests against the installed SDK.
#pragma once

#include <string_view>
#include <vector>

namespace sluice::host::cli {

struct TemplateFile {
  std::string_view path;  // relative to the example's folder, e.g. "src/usage_api_connector.cpp"
  std::string_view text;
};

const std::vector<TemplateFile>& new_plugin_templates();

}  // namespace sluice::host::cli
