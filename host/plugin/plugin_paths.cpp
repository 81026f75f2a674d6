#include "host/plugin/plugin_paths.hpp"

#include <algorithm>
#include <cstdlib>

namespace sluice::host {

namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

bool is_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec);
}

// A folder named twice (say by --plugin-dir and by default) is searched once,
// where it first appears.
void add_once(std::vector<std::filesystem::path>& dirs, const std::filesystem::path& dir) {
  std::error_code ec;
  auto same = [&](const std::filesystem::path& other) { return std::filesystem::equivalent(other, dir, ec); };
  if (std::none_of(dirs.begin(), dirs.end(), same)) dirs.push_back(dir);
}

}  // namespace

PluginSearchPath plugin_search_path(const std::vector<std::string>& cli_dirs) {
  PluginSearchPath path;
  for (const auto& dir : cli_dirs) add_once(path.dirs, dir);
  if (const char* env = std::getenv("SLUICE_PLUGIN_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) {
        std::filesystem::path dir = list.substr(start, end - start);
        if (is_folder(dir)) {
          add_once(path.dirs, dir);
        } else {
          path.skipped.push_back(dir);
        }
      }
      start = end + 1;
    }
  }
  auto bin = executable_dir();
  for (const auto& dir : {bin / ".." / "plugins", bin / ".." / "lib" / "sluice" / "plugins"}) {
    if (is_folder(dir)) add_once(path.dirs, dir.lexically_normal());
  }
  return path;
}

}  // namespace sluice::host
