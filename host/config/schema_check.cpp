// check_config_schema (declared in schema_validator.hpp): is a plugin's
// config schema usable? Checked once, when the plugin loads.
#include "host/config/meta_schema.hpp"
#include "host/config/schema_validator.hpp"
#include "host/config/schema_walk.hpp"
#include "host/config/valijson.hpp"

#include <map>
#include <memory>
#include <regex>
#include <set>

namespace sluice::host {

namespace json = boost::json;

namespace {

const std::string kRoot = "config_schema";

// What each keyword's value must be, in the words of the meta-schema.
const std::map<std::string, std::string, std::less<>>& keyword_rules() {
  static const std::map<std::string, std::string, std::less<>> rules = {
      {"type", "must be one of array, boolean, integer, null, number, object, string, or a list of them"},
      {"properties", "must be an object whose values are schemas"},
      {"definitions", "must be an object whose values are schemas"},
      {"patternProperties", "must be an object whose values are schemas"},
      {"dependencies", "must be an object whose values are schemas or lists of names"},
      {"required", "must be a list of distinct strings"},
      {"enum", "must be a list"},
      {"oneOf", "must be a non-empty list of schemas"},
      {"anyOf", "must be a non-empty list of schemas"},
      {"allOf", "must be a non-empty list of schemas"},
      {"items", "must be a schema or a non-empty list of schemas"},
      {"multipleOf", "must be a number greater than 0"},
      {"minimum", "must be a number"},
      {"maximum", "must be a number"},
      {"exclusiveMinimum", "must be a number"},
      {"exclusiveMaximum", "must be a number"},
      {"minLength", "must be a non-negative integer"},
      {"maxLength", "must be a non-negative integer"},
      {"minItems", "must be a non-negative integer"},
      {"maxItems", "must be a non-negative integer"},
      {"minProperties", "must be a non-negative integer"},
      {"maxProperties", "must be a non-negative integer"},
      {"uniqueItems", "must be a boolean"},
      {"readOnly", "must be a boolean"},
      {"writeOnly", "must be a boolean"},
      {"secret", "must be a boolean"},
      {"order", "must be an integer"},
      {"examples", "must be a list"},
  };
  return rules;
}

// Keywords whose value maps names to schemas, and those holding lists of
// schemas or one schema: how a meta-schema error path descends.
const std::set<std::string, std::less<>> kNamedSchemas = {"properties", "definitions", "patternProperties",
                                                          "dependencies"};
const std::set<std::string, std::less<>> kSchemaLists = {"oneOf", "anyOf", "allOf", "items"};
const std::set<std::string, std::less<>> kOneSchema = {"additionalProperties", "additionalItems", "not", "contains",
                                                       "if", "then", "else", "propertyNames", "items"};

bool is_index(const std::string& part) {
  return !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
}

// {"properties","events","type"} -> `config_schema.properties.events: "type" must be ...`.
std::string describe_meta_error(const std::vector<std::string>& parts, const std::string& description) {
  std::string path = kRoot;
  size_t i = 0;
  while (i < parts.size()) {
    const std::string& keyword = parts[i];
    const bool has_next = i + 1 < parts.size();
    if (has_next && kNamedSchemas.count(keyword)) {
      path = detail::child_path(detail::child_path(path, keyword), parts[i + 1]);
      i += 2;
    } else if (has_next && kSchemaLists.count(keyword) && is_index(parts[i + 1])) {
      path = detail::index_path(detail::child_path(path, keyword), std::stoul(parts[i + 1]));
      i += 2;
    } else if (has_next && kOneSchema.count(keyword)) {
      path = detail::child_path(path, keyword);
      i += 1;
    } else {
      auto rule = keyword_rules().find(keyword);
      return path + ": \"" + keyword + "\" " + (rule != keyword_rules().end() ? rule->second : "is invalid");
    }
  }
  return path + ": must be a schema (an object or a boolean), not " + description;
}

const valijson::Schema& meta_schema() {
  // Built once; C++ guarantees thread-safe initialisation of the static.
  static const std::unique_ptr<valijson::Schema> compiled = [] {
    const json::value text = json::parse(detail::kConfigMetaSchema);
    auto schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(text);
    parser.populateSchema(adapter, *schema);
    return schema;
  }();
  return *compiled;
}

std::optional<std::string> check_against_meta_schema(const json::value& schema) {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter adapter(schema);
  if (validator.validate(meta_schema(), adapter, &results)) return std::nullopt;
  // valijson reports the innermost failure first and then each enclosing
  // one; the deepest path is the one that names the culprit.
  const valijson::ValidationResults::Error* deepest = nullptr;
  for (const auto& error : results) {
    if (!deepest || error.context.size() > deepest->context.size()) deepest = &error;
  }
  if (!deepest) return std::string("not a valid JSON Schema (draft-07)");
  std::vector<std::string> parts;
  for (size_t i = 1; i < deepest->context.size(); ++i) {
    const std::string& part = deepest->context[i];
    parts.push_back(part.size() >= 2 && part.front() == '[' ? part.substr(1, part.size() - 2) : part);
  }
  return describe_meta_error(parts, deepest->description);
}

// std::regex is what validation runs patterns with, so a pattern it rejects
// would silently match nothing.
std::optional<std::string> check_patterns(const json::value& node, const std::string& path) {
  const auto* schema = node.if_object();
  if (!schema) return std::nullopt;
  auto compiles = [](std::string_view pattern) {
    try {
      std::regex re{std::string(pattern)};
      return true;
    } catch (const std::regex_error&) {
      return false;
    }
  };
  if (const auto* pattern = schema->if_contains("pattern"); pattern && pattern->is_string()) {
    if (!compiles(pattern->get_string())) return path + ": \"pattern\" is not a valid regular expression";
  }
  for (const auto& field : *schema) {
    const std::string keyword(field.key());
    const json::value& value = field.value();
    if (kNamedSchemas.count(keyword) && value.is_object()) {
      for (const auto& entry : value.get_object()) {
        if (keyword == "patternProperties" && !compiles(entry.key())) {
          return path + ".patternProperties: \"" + std::string(entry.key()) + "\" is not a valid regular expression";
        }
        if (auto problem = check_patterns(entry.value(), path + "." + keyword + "." + std::string(entry.key()))) {
          return problem;
        }
      }
    } else if (kSchemaLists.count(keyword) && value.is_array()) {
      for (size_t i = 0; i < value.get_array().size(); ++i) {
        if (auto problem = check_patterns(value.get_array()[i], detail::index_path(path + "." + keyword, i))) {
          return problem;
        }
      }
    } else if (kOneSchema.count(keyword)) {
      if (auto problem = check_patterns(value, path + "." + keyword)) return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_config_schema(const json::value& schema) {
  if (!schema.is_object()) return kRoot + ": must be a JSON object";
  if (auto problem = check_against_meta_schema(schema)) return problem;
  if (const auto* type = schema.get_object().if_contains("type"); type && *type != "object") {
    return kRoot + ": \"type\" must be \"object\" at the top level (a config is a JSON object)";
  }
  if (auto problem = check_patterns(schema, kRoot)) return problem;
  try {
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(schema);
    parser.populateSchema(adapter, compiled);
  } catch (const std::exception& e) {
    return kRoot + ": " + e.what();
  }
  return std::nullopt;
}

}  // namespace sluice::host
