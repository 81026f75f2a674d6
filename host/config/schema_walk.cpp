#include "host/config/schema_walk.hpp"

#include <charconv>
#include <cmath>

namespace sluice::host::detail {

namespace json = boost::json;

namespace {

// "~1" and "~0" escapes of a JSON pointer token (RFC 6901).
std::string unescape_token(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

const json::value* follow_pointer(const json::object& root, std::string_view ref) {
  if (ref.empty() || ref[0] != '#') return nullptr;
  ref.remove_prefix(1);
  if (ref.empty() || ref[0] != '/') return nullptr;  // "#" alone is handled by resolve()
  const json::value* node = nullptr;
  const json::object* object = &root;
  while (!ref.empty()) {
    ref.remove_prefix(1);
    size_t end = ref.find('/');
    std::string token = unescape_token(ref.substr(0, end));
    ref = end == std::string_view::npos ? std::string_view() : ref.substr(end);
    if (object) {
      node = object->if_contains(token);
    } else if (node && node->is_array()) {
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size() || index >= node->get_array().size()) {
        return nullptr;
      }
      node = &node->get_array()[index];
    } else {
      return nullptr;
    }
    if (!node) return nullptr;
    object = node->if_object();
  }
  return node;
}

}  // namespace

const json::object* resolve(const json::object& root, const json::value& schema) {
  const json::object* current = schema.if_object();
  // A bound on chained refs, so a cycle of pure refs cannot hang us.
  for (int hops = 0; current && hops < 32; ++hops) {
    const auto* ref = current->if_contains("$ref");
    if (!ref || !ref->is_string()) return current;
    std::string_view text = ref->get_string();
    if (text == "#") {
      current = &root;
      continue;
    }
    const json::value* target = follow_pointer(root, text);
    current = target ? target->if_object() : nullptr;
  }
  return current;
}

std::vector<const json::object*> branches(const json::object& root, const json::object& schema,
                                          std::string_view keyword) {
  std::vector<const json::object*> out;
  const auto* list = schema.if_contains(keyword);
  if (!list || !list->is_array()) return out;
  for (const auto& branch : list->get_array()) {
    if (const auto* resolved = resolve(root, branch)) out.push_back(resolved);
  }
  return out;
}

bool is_secret(const json::object& schema) {
  const auto* secret = schema.if_contains("secret");
  return secret && secret->is_bool() && secret->get_bool();
}

std::string title_of(const json::object& schema) {
  const auto* title = schema.if_contains("title");
  return title && title->is_string() ? std::string(title->get_string()) : std::string();
}

std::string type_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    // 5.0 is a number, not an integer: validation runs with strong types so
    // that a plugin reading an integer field never receives a double.
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "null";
}

std::string format_number(const json::value& value) {
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  if (!value.is_double()) return "";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

std::string child_path(std::string_view base, std::string_view key) {
  std::string out(base);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view base, size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

}  // namespace sluice::host::detail
