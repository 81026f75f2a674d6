#include "host/plugin/plugin_registry.hpp"

#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_name.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

constexpr std::string_view kPrefix = "sluice-";
constexpr std::string_view kSuffix = ".so";

bool is_plain_file(const std::filesystem::path& file) {
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec);
}

std::string joined(const std::vector<std::filesystem::path>& dirs) {
  std::string out;
  for (const auto& dir : dirs) out += (out.empty() ? "" : ", ") + dir.string();
  return out;
}

}  // namespace

std::string plugin_file_name(std::string_view name) {
  return std::string(kPrefix) + std::string(name) + std::string(kSuffix);
}

std::optional<std::string> plugin_name_from_file(const std::filesystem::path& file) {
  std::string base = file.filename().string();
  if (base.size() <= kPrefix.size() + kSuffix.size() || !base.starts_with(kPrefix) || !base.ends_with(kSuffix)) {
    return std::nullopt;
  }
  std::string name = base.substr(kPrefix.size(), base.size() - kPrefix.size() - kSuffix.size());
  if (!is_plugin_name(name)) return std::nullopt;
  return name;
}

PluginRegistry::PluginRegistry(PluginSearchPath search_path) : search_path_(std::move(search_path)) {}

std::vector<std::filesystem::path> PluginRegistry::candidate_files() const {
  std::vector<std::filesystem::path> all;
  for (const auto& dir : search_path_.dirs) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == kSuffix && is_plain_file(entry.path())) files.push_back(entry.path());
    }
    // Directory order is arbitrary; sorted, "first wins" is stable.
    std::sort(files.begin(), files.end());
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

const Plugin& PluginRegistry::require(std::string_view name) const {
  // Checked first: the name comes from a connection file and becomes part
  // of a path ("../x" must not reach the file system).
  if (!is_plugin_name(name)) {
    throw PluginLoadError("no plugin named " + std::string(name) + " (plugin names match [a-z0-9_]{1,64})");
  }
  for (const auto& plugin : loaded_) {
    if (plugin->name() == name) return *plugin;
  }
  const std::string file_name = plugin_file_name(name);
  for (const auto& dir : search_path_.dirs) {
    std::filesystem::path file = dir / file_name;
    if (!is_plain_file(file)) continue;
    try {
      loaded_.push_back(load_plugin(file));
    } catch (const std::exception& e) {
      throw PluginLoadError(std::string(name) + " was found in " + dir.string() + " but rejected: " + e.what());
    }
    return *loaded_.back();
  }
  std::string where = search_path_.dirs.empty() ? "but no plugin folder exists" : "in: " + joined(search_path_.dirs);
  std::string skipped = search_path_.skipped.empty()
                            ? ""
                            : "; skipped SLUICE_PLUGIN_PATH entries that are not folders: " +
                                  joined(search_path_.skipped);
  throw PluginLoadError("no plugin named " + std::string(name) + " (looked for " + file_name + " " + where +
                        skipped + ")");
}

}  // namespace sluice::host
