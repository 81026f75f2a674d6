#include "host/config/secret_refs.hpp"

#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"
#include "host/config/connection_limits.hpp"
#include "host/config/schema_walk.hpp"

#include <cstdlib>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::string read_secret_file(const std::filesystem::path& file, const std::string& path) {
  std::string text;
  try {
    text = read_regular_file(file, kMaxSecretFileBytes);
  } catch (const UnreadableFile& e) {
    throw ConfigError(path + ": cannot read secret file " + file.string() + ": " + e.what());
  }
  // Editors and `echo` add a final newline that is not part of the secret.
  if (text.ends_with("\r\n")) text.resize(text.size() - 2);
  else if (text.ends_with('\n')) text.pop_back();
  return text;
}

void resolve(json::value& value, const std::filesystem::path& base_dir, const std::string& path) {
  if (auto* array = value.if_array()) {
    for (size_t i = 0; i < array->size(); ++i) resolve((*array)[i], base_dir, detail::index_path(path, i));
    return;
  }
  auto* object = value.if_object();
  if (!object) return;
  const auto* env = object->if_contains("$env");
  const auto* file = object->if_contains("$file");
  if (!env && !file) {
    for (auto& field : *object) resolve(field.value(), base_dir, detail::child_path(path, field.key()));
    return;
  }
  const json::value* reference = env ? env : file;
  if (object->size() != 1 || !reference->is_string() || reference->get_string().empty()) {
    throw ConfigError(path + ": a reference must be {\"$env\": NAME} or {\"$file\": PATH}, alone in its object");
  }
  const std::string name(reference->get_string());
  if (env) {
    const char* text = std::getenv(name.c_str());
    if (!text) throw ConfigError(path + ": environment variable " + name + " is not set");
    value = text;
  } else {
    std::filesystem::path target(name);
    if (target.is_relative()) target = base_dir / target;
    value = read_secret_file(target, path);
  }
}

}  // namespace

json::object resolve_secret_refs(const json::object& config, const std::filesystem::path& base_dir,
                                 std::string_view path_prefix) {
  json::value out(config);
  resolve(out, base_dir, std::string(path_prefix));
  return std::move(out.as_object());
}

}  // namespace sluice::host
