#include "host/serve/plugin_catalog.hpp"

#include "host/plugin/plugin_probe.hpp"
#include "host/plugin/plugin_registry.hpp"
#include "host/serve/api_types.hpp"
#include "host/serve/child_process.hpp"

#include <set>

namespace sluice::host::serve {

namespace {

bool has_plugin_file(const std::vector<std::string>& dirs, const std::string& name) {
  PluginRegistry registry(plugin_search_path(dirs));
  for (const auto& file : registry.candidate_files()) {
    if (plugin_name_from_file(file) == name) return true;
  }
  return false;
}

}  // namespace

boost::json::object PluginCatalog::list() const {
  PluginRegistry registry(plugin_search_path(dirs_));
  std::vector<std::filesystem::path> to_probe;
  std::set<std::filesystem::path> seen;
  for (const auto& file : registry.candidate_files()) {
    if (seen.insert(file.filename()).second) to_probe.push_back(file);  // the first of a name is the one used
  }
  ProbeOptions options;
  options.executable = kSelfExecutable;
  boost::json::array plugins, rejected;
  for (auto& answer : probe_plugin_files(to_probe, options)) {
    if (answer.plugin) plugins.push_back(std::move(*answer.plugin));
    else rejected.push_back(boost::json::object{{"file", answer.file.string()}, {"reason", answer.rejected}});
  }
  return {{"plugins", std::move(plugins)}, {"rejected", std::move(rejected)}};
}

boost::json::object PluginCatalog::spec(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = specs_.find(name); it != specs_.end()) return it->second;
  }
  if (!plugin_name_from_file("sluice-" + name + ".so") || !has_plugin_file(dirs_, name)) {
    throw ApiError(404, "plugin_not_found", "no plugin named " + name);
  }
  std::vector<std::string> argv = {kSelfExecutable, "spec", name};
  for (const auto& dir : dirs_) {
    argv.push_back("--plugin-dir");
    argv.push_back(dir);
  }
  CapturedRun run = run_captured(argv, std::chrono::seconds(10));
  boost::json::error_code ec;
  boost::json::value parsed = boost::json::parse(run.out, ec);
  if (run.timed_out || run.status != 0 || ec || !parsed.is_object()) {
    throw ApiError(422, "plugin_rejected",
                   "plugin " + name + " could not be loaded (sluice spec: " +
                       (run.timed_out ? std::string("timed out") : status_text(run.status)) + ")");
  }
  std::lock_guard lock(mutex_);
  return specs_[name] = std::move(parsed.as_object());
}

boost::json::object PluginCatalog::schema(const std::string& name) {
  boost::json::object s = spec(name);
  if (auto* schema = s.if_contains("config_schema"); schema && schema->is_object()) return schema->as_object();
  return {};
}

}  // namespace sluice::host::serve
