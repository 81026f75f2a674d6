// The connection file: which plugin with which config, which target, which
// streams in which mode, and the namespace rules. Format: docs/connection-file.md.
#pragma once

#include "host/common/vocabulary.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

enum class NamespaceDefinition { source, destination, custom };

struct NamespaceRule {
  NamespaceDefinition definition = NamespaceDefinition::source;
  std::string format;  // custom only; may contain ${SOURCE_NAMESPACE}
  std::string prefix;  // prepended to every stream's table name
};

struct StreamSelection {
  std::string name;
  std::string ns;  // "" = match the stream of that name in any namespace
  std::optional<SyncMode> mode;  // nullopt = the stream's default mode
  std::optional<FieldPath> cursor_field;
  std::optional<std::vector<FieldPath>> primary_key;
};

struct Connection {
  std::filesystem::path file;   // where it was read from
  std::string plugin;           // source.plugin
  boost::json::object config;   // source.config, secret references not resolved
  std::string target;           // "" when absent: the CLI applies its default
  NamespaceRule namespace_rule;
  std::optional<std::vector<StreamSelection>> streams;  // nullopt = every stream
};

// Reads and checks a connection file. Throws ConfigError with one line per
// problem, each naming the file and the JSON path. The file must be a regular
// file of at most kMaxConnectionFileBytes, and each of its strings and
// property names at most kMaxStringBytes (connection_limits.hpp). The file
// "-" is standard input, read to its end and named kStdinName in messages.
inline constexpr const char* kStdinName = "<stdin>";
Connection load_connection(const std::filesystem::path& file);
// The same for text already read; `file` names it in messages.
Connection parse_connection(std::string_view json_text, const std::filesystem::path& file);

}  // namespace sluice::host
