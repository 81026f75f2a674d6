// Secret references in a config: {"$env": "NAME"} and {"$file": "path"} stand
// for a value kept out of the connection file, resolved only at run time.
#pragma once

#include <boost/json.hpp>

#include <filesystem>
#include <string_view>

namespace sluice::host {

// A copy of `config` where every reference object, at any depth, is
// replaced by the string it names. A relative $file path is relative to
// base_dir (the connection file's folder); one trailing newline of the file
// is dropped. Throws ConfigError naming the JSON path:
//   source.config.client_secret: environment variable AUTH0_SECRET is not set
std::string_view secret_ref_kind(const boost::json::object& object);  // "$env", "$file" or ""
boost::json::object resolve_secret_refs(const boost::json::object& config, const std::filesystem::path& base_dir,
                                        std::string_view path_prefix);

}  // namespace sluice::host
