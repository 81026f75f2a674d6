#include "host/config/schema_walk.hpp"

#include <charconv>
#include <cmath>
#include <set>

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

namespace {

const std::set<std::string, std::less<>> kNamedSchemas = {"properties", "definitions", "patternProperties",
                                                          "dependencies"};
const std::set<std::string, std::less<>> kSchemaLists = {"allOf", "anyOf", "oneOf", "items"};
const std::set<std::string, std::less<>> kOneSchema = {"additionalProperties", "additionalItems", "not", "contains",
                                                       "if", "then", "else", "propertyNames", "items"};

std::optional<SchemaProblem> walk(const json::value& node, SchemaPath& at, const SchemaCheck& check) {
  const auto* schema = node.if_object();
  if (!schema) return std::nullopt;
  if (auto problem = check(*schema, at)) return problem;
  // Descends into one subschema at at + tokens, then restores `at`.
  auto descend = [&](const json::value& child, std::initializer_list<std::string_view> tokens) {
    for (auto token : tokens) at.emplace_back(token);
    auto problem = walk(child, at, check);
    at.resize(at.size() - tokens.size());
    return problem;
  };
  for (const auto& field : *schema) {
    const std::string_view keyword = field.key();
    const json::value& value = field.value();
    if (holds_named_schemas(keyword) && value.is_object()) {
      for (const auto& entry : value.get_object()) {
        if (auto problem = descend(entry.value(), {keyword, entry.key()})) return problem;
      }
    } else if (holds_schema_list(keyword) && value.is_array()) {
      for (size_t i = 0; i < value.get_array().size(); ++i) {
        if (auto problem = descend(value.get_array()[i], {keyword, std::to_string(i)})) return problem;
      }
    } else if (holds_one_schema(keyword)) {
      if (auto problem = descend(value, {keyword})) return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_index(std::string_view token) {
  return !token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos;
}

bool holds_named_schemas(std::string_view keyword) { return kNamedSchemas.count(keyword) > 0; }
bool holds_schema_list(std::string_view keyword) { return kSchemaLists.count(keyword) > 0; }
bool holds_one_schema(std::string_view keyword) { return kOneSchema.count(keyword) > 0; }

std::optional<SchemaProblem> first_problem(const json::value& schema, const SchemaCheck& check) {
  SchemaPath at;
  return walk(schema, at, check);
}

std::string json_pointer(const SchemaPath& at) {
  std::string out;
  for (const auto& token : at) {
    out += '/';
    for (char c : token) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::string dotted_path(std::string_view root, const SchemaPath& at) {
  std::string out(root);
  for (size_t i = 0; i < at.size(); ++i) {
    // A list keyword followed by an index is "oneOf[1]"; after a name-holding
    // keyword the next token is a name, printed as is.
    if (holds_schema_list(at[i]) && i + 1 < at.size() && is_index(at[i + 1])) {
      out = index_path(child_path(out, at[i]), std::stoul(at[i + 1]));
      ++i;
    } else if (holds_named_schemas(at[i]) && i + 1 < at.size()) {
      out = child_path(child_path(out, at[i]), at[i + 1]);
      ++i;
    } else {
      out = child_path(out, at[i]);
    }
  }
  return out;
}

}  // namespace sluice::host::detail
