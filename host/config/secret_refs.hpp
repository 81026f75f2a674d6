// Secret references: a connection file may say {"$env": "NAME"} or
// {"$file": "path"} wherever a secret goes, so the file itself can be
// committed without the secret (docs/connection-file.md).
#pragma once

#include <boost/json.hpp>

#include <filesystem>
#include <string_view>

namespace sluice::host {

// Returns a copy of `config` in which every object of the form {"$env": NAME}
// or {"$file": PATH}, at any depth (objects and arrays), is replaced by the
// string it names: the environment variable's value, or the file's content
// with one trailing newline ("\n" or "\r\n") removed. A secret file must be
// a regular file of at most kMaxSecretFileBytes (connection_limits.hpp): a
// directory, FIFO or device is refused, never read. Relative PATHs are
// resolved against `base_dir` (the connection file's folder); "~" is not
// expanded. An empty environment variable is a valid (empty) value.
// Throws ConfigError, one line with the JSON path under `path_prefix`:
//   source.config.credentials.client_secret: environment variable AUTH0_SECRET is not set
//   source.config.key: cannot read secret file /x/y: No such file or directory
//   source.config.key: cannot read secret file /x/d: it is a directory, not a regular file
//   source.config.key: cannot read secret file /x/big: it is larger than 1 MiB
//   source.config.key: a reference must be {"$env": NAME} or {"$file": PATH}, alone in its object
// (the last for an object with a "$env"/"$file" key plus other keys, or whose
// NAME/PATH is not a non-empty string). Errors never contain the secret.
boost::json::object resolve_secret_refs(const boost::json::object& config, const std::filesystem::path& base_dir,
                                        std::string_view path_prefix);

}  // namespace sluice::host
