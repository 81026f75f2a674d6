#include "host/config/schema_validator.hpp"

#include "host/config/json_schema_meta.hpp"

// Without this valijson prints and aborts on a schema it cannot compile.
#define VALIJSON_USE_EXCEPTIONS 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

#include <algorithm>
#include <variant>

namespace sluice::host {

namespace json = boost::json;

namespace {

using Adapter = valijson::adapters::BoostJsonAdapter;
using Segment = std::variant<std::string, size_t>;  // property name or array index

const char* type_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

// valijson's context is ["<root>", "[name]", "[0]", ...]; walking the value
// alongside tells an array index from a property named "0".
std::vector<Segment> segments_of(const std::vector<std::string>& context, const json::value& root) {
  std::vector<Segment> out;
  const json::value* at = &root;
  for (size_t i = 1; i < context.size(); ++i) {
    std::string part = context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') part = part.substr(1, part.size() - 2);
    if (at && at->is_array()) {
      size_t index = std::stoul(part);
      out.emplace_back(index);
      at = index < at->get_array().size() ? &at->get_array()[index] : nullptr;
    } else {
      out.emplace_back(part);
      at = at && at->is_object() ? at->get_object().if_contains(part) : nullptr;
    }
  }
  return out;
}

std::string path_text(std::string_view root, const std::vector<Segment>& segments) {
  std::string out(root);
  for (const auto& segment : segments) {
    if (const auto* name = std::get_if<std::string>(&segment)) out += (out.empty() ? "" : ".") + *name;
    else out += "[" + std::to_string(std::get<size_t>(segment)) + "]";
  }
  return out;
}

// The subschema at a path, looking into oneOf/anyOf/allOf branches for
// properties; nullptr when it cannot be told.
const json::object* schema_at(const json::object& schema, const std::vector<Segment>& segments) {
  const json::object* at = &schema;
  for (const auto& segment : segments) {
    const json::object* next = nullptr;
    if (const auto* name = std::get_if<std::string>(&segment)) {
      auto property_in = [&](const json::object& s) -> const json::object* {
        const auto* properties = s.if_contains("properties");
        const auto* found = properties && properties->is_object() ? properties->get_object().if_contains(*name) : nullptr;
        return found && found->is_object() ? &found->get_object() : nullptr;
      };
      next = property_in(*at);
      for (const char* keyword : {"oneOf", "anyOf", "allOf"}) {
        const auto* branches = at->if_contains(keyword);
        if (next || !branches || !branches->is_array()) continue;
        for (const auto& branch : branches->get_array()) {
          if (branch.is_object() && (next = property_in(branch.get_object()))) break;
        }
      }
    } else if (const auto* items = at->if_contains("items"); items && items->is_object()) {
      next = &items->get_object();
    }
    if (!next) return nullptr;
    at = next;
  }
  return at;
}

std::string number_text(const json::value* value) {
  if (!value) return "?";
  if (value->is_double()) {
    std::string text = json::serialize(json::value(value->get_double()));
    double d = value->get_double();
    if (d == static_cast<double>(static_cast<long long>(d))) return std::to_string(static_cast<long long>(d));
    return text;
  }
  return json::serialize(*value);
}

std::string expected_types(const json::object* schema) {
  const auto* type = schema ? schema->if_contains("type") : nullptr;
  if (!type) return "another type";
  if (type->is_string()) return std::string(type->get_string());
  std::string out;
  if (type->is_array()) {
    for (const auto& t : type->get_array()) out += (out.empty() ? "" : " or ") + json::serialize(t);
  }
  return out;
}

std::string choices(const json::object* schema, const char* keyword) {
  const auto* branches = schema ? schema->if_contains(keyword) : nullptr;
  std::string out;
  if (!branches || !branches->is_array()) return "the allowed alternatives";
  size_t i = 0;
  for (const auto& branch : branches->get_array()) {
    const auto* title = branch.is_object() ? branch.get_object().if_contains("title") : nullptr;
    out += (out.empty() ? "" : ", ") +
           (title && title->is_string() ? std::string(title->get_string()) : "#" + std::to_string(i));
    ++i;
  }
  return out;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

struct Problem {
  std::vector<Segment> path;
  std::string message;
};

// One valijson error as a user-facing message; empty to skip wrapper errors
// that only repeat a child's failure.
std::optional<Problem> describe(const valijson::ValidationResults::Error& error, const json::object& schema,
                                const json::value& config) {
  const std::string& d = error.description;
  if (starts_with(d, "Failed to validate against schema associated with property") ||
      starts_with(d, "Failed to validate item #") || starts_with(d, "Failed to validate against child schema") ||
      starts_with(d, "Failed to validate against schema associated with")) {
    return std::nullopt;
  }
  Problem problem{segments_of(error.context, config), d};
  const json::object* sub = schema_at(schema, problem.path);
  auto quoted_tail = [&] {
    auto end = d.rfind('\'');
    auto start = end == std::string::npos ? std::string::npos : d.rfind('\'', end - 1);
    return start == std::string::npos ? std::string() : d.substr(start + 1, end - start - 1);
  };
  const json::value* value = &config;
  for (const auto& segment : problem.path) {
    if (!value) break;
    if (const auto* name = std::get_if<std::string>(&segment)) {
      value = value->is_object() ? value->get_object().if_contains(*name) : nullptr;
    } else {
      size_t index = std::get<size_t>(segment);
      value = value->is_array() && index < value->get_array().size() ? &value->get_array()[index] : nullptr;
    }
  }
  if (starts_with(d, "Missing required property")) {
    problem.path.emplace_back(quoted_tail());
    problem.message = "required property missing";
  } else if (starts_with(d, "Object contains a property that could not be validated")) {
    problem.path.emplace_back(quoted_tail());
    problem.message = "unknown property";
  } else if (starts_with(d, "Value type not permitted")) {
    problem.message = "expected " + expected_types(sub) + ", got " + (value ? type_name(*value) : "another type");
  } else if (starts_with(d, "Failed to match regex")) {
    const auto* pattern = sub ? sub->if_contains("pattern") : nullptr;
    problem.message = "does not match the pattern " +
                      (pattern && pattern->is_string() ? std::string(pattern->get_string()) : std::string("required"));
  } else if (starts_with(d, "Failed to match against any enum values")) {
    std::string list;
    if (const auto* values = sub ? sub->if_contains("enum") : nullptr; values && values->is_array()) {
      for (const auto& v : values->get_array()) list += (list.empty() ? "" : ", ") + json::serialize(v);
    }
    problem.message = "must be one of: " + list;
  } else if (starts_with(d, "Expected number less than or equal to")) {
    problem.message = "must be at most " + number_text(sub ? sub->if_contains("maximum") : nullptr);
  } else if (starts_with(d, "Expected number greater than or equal to")) {
    problem.message = "must be at least " + number_text(sub ? sub->if_contains("minimum") : nullptr);
  } else if (starts_with(d, "Expected number less than")) {
    problem.message = "must be less than " + number_text(sub ? sub->if_contains("exclusiveMaximum") : nullptr);
  } else if (starts_with(d, "Expected number greater than")) {
    problem.message = "must be greater than " + number_text(sub ? sub->if_contains("exclusiveMinimum") : nullptr);
  } else if (starts_with(d, "String should be no fewer than")) {
    problem.message = "must be at least " + number_text(sub ? sub->if_contains("minLength") : nullptr) +
                      " characters long";
  } else if (starts_with(d, "String should be no more than")) {
    problem.message = "must be at most " + number_text(sub ? sub->if_contains("maxLength") : nullptr) +
                      " characters long";
  } else if (d.find("oneOf") != std::string::npos) {
    problem.message = "must match exactly one of: " + choices(sub, "oneOf");
  } else if (d.find("anyOf") != std::string::npos) {
    problem.message = "must match at least one of: " + choices(sub, "anyOf");
  }
  return problem;
}

bool is_under(const std::vector<Segment>& path, const std::vector<Segment>& prefix) {
  return path.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

std::vector<Problem> validate(const valijson::Schema& compiled, const json::object& schema, const json::value& config) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  Adapter adapter(config);
  validator.validate(compiled, adapter, &results);
  std::vector<Problem> problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    auto problem = describe(error, schema, config);
    if (!problem) continue;
    // A oneOf/anyOf failure comes after its branches' own failures: those
    // name fields of alternatives the user did not choose, so drop them.
    if (problem->message.rfind("must match ", 0) == 0) {
      problems.erase(std::remove_if(problems.begin(), problems.end(),
                                    [&](const Problem& p) { return is_under(p.path, problem->path); }),
                     problems.end());
    }
    problems.push_back(std::move(*problem));
  }
  return problems;
}

const valijson::Schema& meta_schema() {
  // Compiled once; intentionally never freed (valijson::Schema is not movable).
  static const valijson::Schema* compiled = [] {
    auto* schema = new valijson::Schema;
    json::value document = json::parse(kDraft07MetaSchema);
    valijson::SchemaParser parser;
    Adapter adapter(document);
    parser.populateSchema(adapter, *schema);
    return schema;
  }();
  return *compiled;
}

}  // namespace

std::optional<std::string> check_config_schema(const json::value& schema) {
  if (!schema.is_object()) return "config_schema must be a JSON object";
  const auto* type = schema.get_object().if_contains("type");
  if (!type || !type->is_string() || type->get_string() != "object") {
    return "config_schema must have \"type\": \"object\"";
  }
  static const json::object meta_document = json::parse(kDraft07MetaSchema).as_object();
  auto problems = validate(meta_schema(), meta_document, schema);
  if (!problems.empty()) {
    return path_text("config_schema", problems.front().path) + ": " + problems.front().message;
  }
  try {
    valijson::Schema compiled;
    valijson::SchemaParser parser;
    Adapter adapter(schema);
    parser.populateSchema(adapter, compiled);
  } catch (const std::exception& e) {
    return std::string("config_schema: ") + e.what();
  }
  return std::nullopt;
}

std::vector<std::string> validate_config(const json::object& schema, const json::value& config,
                                         std::string_view root_path) {
  valijson::Schema compiled;
  valijson::SchemaParser parser;
  json::value schema_value = schema;
  Adapter schema_adapter(schema_value);
  parser.populateSchema(schema_adapter, compiled);
  std::vector<std::string> lines;
  for (const auto& problem : validate(compiled, schema, config)) {
    std::string line = path_text(root_path, problem.path) + ": " + problem.message;
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  }
  return lines;
}

json::object apply_defaults(const json::object& schema, const json::object& config) {
  json::object out = config;
  const auto* properties = schema.if_contains("properties");
  if (!properties || !properties->is_object()) return out;
  for (const auto& property : properties->get_object()) {
    if (!property.value().is_object()) continue;
    const auto& sub = property.value().get_object();
    auto* present = out.if_contains(property.key());
    if (!present) {
      if (const auto* fallback = sub.if_contains("default")) out[property.key()] = *fallback;
    } else if (present->is_object() && sub.contains("properties")) {
      *present = apply_defaults(sub, present->get_object());
    }
  }
  return out;
}

}  // namespace sluice::host
