#include "host/config/secret_refs.hpp"

#include "host/config/config_error.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::string read_secret_file(const std::filesystem::path& file, const std::string& path) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read secret file " + file.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  return value;
}

json::value resolve(const json::value& value, const std::filesystem::path& base_dir, const std::string& path) {
  if (const auto* object = value.if_object()) {
    std::string_view kind = secret_ref_kind(*object);
    if (!kind.empty()) {
      const json::value& target = object->at(kind);
      if (object->size() != 1 || !target.is_string() || target.get_string().empty()) {
        throw ConfigError(path + ": a reference must be {\"$env\": NAME} or {\"$file\": PATH}, alone in its object");
      }
      std::string name(target.get_string());
      if (kind == "$env") {
        const char* env = std::getenv(name.c_str());
        if (!env) throw ConfigError(path + ": environment variable " + name + " is not set");
        return json::string(env);
      }
      std::filesystem::path file(name);
      return json::string(read_secret_file(file.is_relative() ? base_dir / file : file, path));
    }
    json::object out;
    for (const auto& field : *object) {
      out[field.key()] = resolve(field.value(), base_dir, path + "." + std::string(field.key()));
    }
    return out;
  }
  if (const auto* array = value.if_array()) {
    json::array out;
    for (size_t i = 0; i < array->size(); ++i) {
      out.push_back(resolve((*array)[i], base_dir, path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }
  return value;
}

}  // namespace

std::string_view secret_ref_kind(const json::object& object) {
  if (object.contains("$env")) return "$env";
  if (object.contains("$file")) return "$file";
  return "";
}

json::object resolve_secret_refs(const json::object& config, const std::filesystem::path& base_dir,
                                 std::string_view path_prefix) {
  return resolve(config, base_dir, std::string(path_prefix)).as_object();
}

}  // namespace sluice::host
