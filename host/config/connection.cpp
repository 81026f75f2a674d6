#include "host/config/connection.hpp"

#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"
#include "host/config/connection_limits.hpp"
#include "host/config/schema_walk.hpp"
#include "host/config/secret_refs.hpp"
#include "host/config/yaml_document.hpp"

#include <unistd.h>

#include <set>

namespace sluice::host {

namespace json = boost::json;

namespace {

// Collects every problem, so the user fixes the file in one pass.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const std::string& path, const std::string& message) {
    lines_.push_back(file_ + ": " + (path.empty() ? "" : path + ": ") + message);
  }
  void raise_if_any() const {
    if (!lines_.empty()) throw ConfigError(lines_);
  }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

std::string line_and_column(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Strings over kMaxStringBytes, anywhere; the message never quotes them.
// Recursion is bounded by the parser's depth limit.
void reject_long_strings(const json::value& value, const std::string& path, Problems& problems) {
  if (const auto* text = value.if_string(); text && text->size() > kMaxStringBytes) {
    problems.add(path, "string longer than the limit of " + size_text(kMaxStringBytes));
  } else if (const auto* array = value.if_array()) {
    for (size_t i = 0; i < array->size(); ++i) reject_long_strings((*array)[i], detail::index_path(path, i), problems);
  } else if (const auto* object = value.if_object()) {
    for (const auto& field : *object) {
      if (field.key().size() > kMaxStringBytes) {
        problems.add(path, "property name longer than the limit of " + size_text(kMaxStringBytes));
        continue;
      }
      reject_long_strings(field.value(), detail::child_path(path, field.key()), problems);
    }
  }
}

void reject_unknown_keys(const json::object& object, const std::set<std::string>& known, const std::string& path,
                         Problems& problems) {
  for (const auto& field : object) {
    if (!known.count(std::string(field.key()))) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      problems.add(path.empty() ? std::string(field.key()) : path + "." + std::string(field.key()),
                   "unknown property (expected one of: " + list + ")");
    }
  }
}

// A cursor: ["ts"] (a path, nested fields as ["a","b"]) or the shorthand "ts".
std::optional<FieldPath> parse_path(const json::value& value, const std::string& path, Problems& problems) {
  if (value.is_string() && !value.get_string().empty()) return FieldPath{std::string(value.get_string())};
  const auto* list = value.if_array();
  if (!list || list->empty()) {
    problems.add(path, "must be a field path: a non-empty list of field names, e.g. [\"ts\"]");
    return std::nullopt;
  }
  FieldPath out;
  for (const auto& part : *list) {
    if (!part.is_string() || part.get_string().empty()) {
      problems.add(path, "must be a field path: a non-empty list of field names, e.g. [\"ts\"]");
      return std::nullopt;
    }
    out.emplace_back(part.get_string());
  }
  return out;
}

// A primary key: a list of field paths, [["id"]] or [["a"],["b","c"]]. Two
// shorthands for top-level fields: "id" and ["id","region"] (each string one
// field). Mixing strings and paths in one list is ambiguous and rejected.
std::optional<std::vector<FieldPath>> parse_key(const json::value& value, const std::string& path,
                                                Problems& problems) {
  if (value.is_string() && !value.get_string().empty()) {
    return std::vector<FieldPath>{{std::string(value.get_string())}};
  }
  const auto* list = value.if_array();
  if (!list || list->empty()) {
    problems.add(path, "must be a non-empty list of field paths, e.g. [[\"id\"]]");
    return std::nullopt;
  }
  std::vector<FieldPath> out;
  const bool shorthand = list->front().is_string();
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& part = (*list)[i];
    const std::string part_path = path + "[" + std::to_string(i) + "]";
    if (shorthand) {
      if (!part.is_string() || part.get_string().empty()) {
        problems.add(part_path, "must be a field name like \"id\" (do not mix names and paths in one key)");
        return std::nullopt;
      }
      out.push_back({std::string(part.get_string())});
      continue;
    }
    if (!part.is_array()) {
      problems.add(part_path, "must be a field path like [\"id\"] (do not mix names and paths in one key)");
      return std::nullopt;
    }
    auto field = parse_path(part, part_path, problems);
    if (!field) return std::nullopt;
    out.push_back(std::move(*field));
  }
  return out;
}

const json::string* string_at(const json::object& object, const char* key, const std::string& path,
                              Problems& problems, bool required) {
  const auto* value = object.if_contains(key);
  if (!value || value->is_null()) {
    if (required) problems.add(path + key, "required property missing");
    return nullptr;
  }
  if (!value->is_string()) {
    problems.add(path + key, "must be a string");
    return nullptr;
  }
  return &value->get_string();
}

void parse_namespace(const json::value& value, Connection& out, Problems& problems) {
  const auto* rule = value.if_object();
  if (!rule) {
    problems.add("namespace", "must be an object like {\"definition\": \"source\"}");
    return;
  }
  reject_unknown_keys(*rule, {"definition", "format", "prefix"}, "namespace", problems);
  if (const auto* definition = string_at(*rule, "definition", "namespace.", problems, false)) {
    if (*definition == "source") out.namespace_rule.definition = NamespaceDefinition::source;
    else if (*definition == "destination") out.namespace_rule.definition = NamespaceDefinition::destination;
    else if (*definition == "custom") out.namespace_rule.definition = NamespaceDefinition::custom;
    else problems.add("namespace.definition", "must be source, destination or custom (got \"" +
                                                  std::string(*definition) + "\")");
  }
  if (const auto* format = string_at(*rule, "format", "namespace.", problems, false)) {
    out.namespace_rule.format = std::string(*format);
  }
  if (out.namespace_rule.definition == NamespaceDefinition::custom && out.namespace_rule.format.empty()) {
    problems.add("namespace.format", "required when definition is custom (e.g. \"billing_${SOURCE_NAMESPACE}\")");
  }
  if (const auto* prefix = string_at(*rule, "prefix", "namespace.", problems, false)) {
    out.namespace_rule.prefix = std::string(*prefix);
  }
}

void parse_streams(const json::value& value, Connection& out, Problems& problems) {
  const auto* list = value.if_array();
  if (!list) {
    problems.add("streams", "must be a list of streams");
    return;
  }
  std::vector<StreamSelection> selection;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string path = "streams[" + std::to_string(i) + "]";
    const auto* entry = (*list)[i].if_object();
    if (!entry) {
      problems.add(path, "must be an object like {\"name\": \"users\"}");
      continue;
    }
    reject_unknown_keys(*entry, {"name", "namespace", "mode", "cursor_field", "primary_key"}, path, problems);
    StreamSelection stream;
    if (const auto* name = string_at(*entry, "name", path + ".", problems, true)) {
      if (name->empty()) problems.add(path + ".name", "must not be empty");
      stream.name = std::string(*name);
    }
    if (const auto* ns = string_at(*entry, "namespace", path + ".", problems, false)) stream.ns = std::string(*ns);
    if (const auto* mode = string_at(*entry, "mode", path + ".", problems, false)) {
      stream.mode = parse_sync_mode(std::string(*mode));
      if (!stream.mode) {
        problems.add(path + ".mode", "unknown sync mode \"" + std::string(*mode) +
                                         "\" (expected one of full_refresh_overwrite, full_refresh_append, "
                                         "incremental_append, incremental_append_dedup)");
      }
    }
    if (const auto* cursor = entry->if_contains("cursor_field")) {
      stream.cursor_field = parse_path(*cursor, path + ".cursor_field", problems);
    }
    if (const auto* key = entry->if_contains("primary_key")) {
      stream.primary_key = parse_key(*key, path + ".primary_key", problems);
    }
    if (!stream.name.empty() && !seen.insert({stream.ns, stream.name}).second) {
      problems.add(path + ".name", "stream " + stream.name + " is listed twice");
    }
    selection.push_back(std::move(stream));
  }
  out.streams = std::move(selection);
}

json::value parse_json_document(std::string_view text, Problems& problems) {
  json::error_code ec;
  json::stream_parser parser;
  // write() (not write_some) also rejects text after the value; on error it
  // returns the offset where parsing stopped.
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    problems.add("", "not valid JSON at " + line_and_column(text, consumed) + ": " + ec.message());
    problems.raise_if_any();
  }
  return parser.release();
}

}  // namespace

Connection parse_connection(std::string_view text, const std::filesystem::path& file) {
  Problems problems(file.filename().string());
  // A YAML file becomes the JSON document it stands for; from here on both
  // are checked alike.
  json::value root = is_yaml_file_name(file.filename().string())
                         ? yaml_to_json(text, file.filename().string())
                         : parse_json_document(text, problems);
  // First, and alone: later messages may quote a string.
  reject_long_strings(root, "", problems);
  problems.raise_if_any();
  const auto* top = root.if_object();
  if (!top) {
    problems.add("", "must be a JSON object with \"source\" and \"target\"");
    problems.raise_if_any();
  }

  Connection out;
  out.file = file;
  reject_unknown_keys(*top, {"source", "target", "namespace", "streams"}, "", problems);
  const auto* source = top->if_contains("source");
  if (!source) {
    problems.add("source", "required property missing");
  } else if (!source->is_object()) {
    problems.add("source", "must be an object with \"plugin\" and \"config\"");
  } else {
    reject_unknown_keys(source->get_object(), {"plugin", "config"}, "source", problems);
    if (const auto* plugin = string_at(source->get_object(), "plugin", "source.", problems, true)) {
      out.plugin = std::string(*plugin);
    }
    if (const auto* config = source->get_object().if_contains("config")) {
      if (!config->is_object()) problems.add("source.config", "must be an object");
      else out.config = config->get_object();
    }
  }
  if (const auto* target = top->if_contains("target"); target && target->is_object()) {
    // {"$env": NAME} or {"$file": PATH}: the URL carries a password, so it
    // may stay out of the file like any secret (its password is masked in
    // every output once the target is opened).
    try {
      const json::object resolved = resolve_secret_refs(json::object{{"target", *target}}, file.parent_path(), "");
      const auto& url = resolved.at("target");
      if (url.is_string()) out.target = std::string(url.get_string());
      else problems.add("target", "must be a URL string or a {\"$env\"}/{\"$file\"} reference to one");
    } catch (const ConfigError& e) {
      for (const auto& line : e.lines()) problems.add("target", line.substr(line.find(": ") + 2));
    }
  } else if (const auto* url = string_at(*top, "target", "", problems, false)) {
    out.target = std::string(*url);
  }
  if (const auto* rule = top->if_contains("namespace")) parse_namespace(*rule, out, problems);
  if (const auto* streams = top->if_contains("streams")) parse_streams(*streams, out, problems);
  problems.raise_if_any();
  return out;
}

Connection load_connection(const std::filesystem::path& file) {
  // "-" is standard input (JSON): a connection piped from a secrets tool, or
  // from the daemon to its sync child, never touches the disk. Relative
  // {"$file"} references then resolve from the working directory.
  const bool from_stdin = file == "-";
  std::string text;
  try {
    text = from_stdin ? read_to_end(STDIN_FILENO, kMaxConnectionFileBytes)
                      : read_regular_file(file, kMaxConnectionFileBytes);
  } catch (const UnreadableFile& e) {
    throw ConfigError((from_stdin ? std::string(kStdinName) : file.string()) +
                      ": cannot read the connection file: " + e.what());
  }
  return parse_connection(text, from_stdin ? std::filesystem::path(kStdinName) : file);
}

}  // namespace sluice::host
