#include "host/plugin/plugin_paths.hpp"

#include <cstdlib>

namespace sluice::host {

namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

}  // namespace

std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& cli_dirs) {
  std::vector<std::filesystem::path> dirs(cli_dirs.begin(), cli_dirs.end());
  if (const char* env = std::getenv("SLUICE_PLUGIN_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) dirs.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  auto bin = executable_dir();
  dirs.push_back((bin / ".." / "plugins").lexically_normal());
  dirs.push_back((bin / ".." / "lib" / "sluice" / "plugins").lexically_normal());
  return dirs;
}

}  // namespace sluice::host
