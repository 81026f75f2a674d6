#include "host/config/meta_schema.hpp"

#include "host/config/valijson.hpp"

#include <algorithm>
#include <map>
#include <memory>

namespace sluice::host::detail {

// Written from the draft-07 specification's meta-schema, with two changes:
//  - no "$id"/"$schema": with an absolute $id, valijson treats "#..." refs as
//    references into a remote document it would have to fetch;
//  - Sluice's extension keywords are typed ("secret": boolean, "order":
//    integer), so `"secret": "yes"` is caught at plugin load, not ignored.
// "format" is not asserted (neither by valijson nor by us).
// Its "properties" are the keywords Sluice knows (known_keywords()): a
// keyword a plugin's config schema uses must be listed here, or the plugin
// is rejected at load (keyword_lint.hpp).
const std::string_view kConfigMetaSchema = R"json({
  "title": "Core schema meta-schema (draft-07) with Sluice extensions",
  "definitions": {
    "schemaArray": {"type": "array", "minItems": 1, "items": {"$ref": "#"}},
    "nonNegativeInteger": {"type": "integer", "minimum": 0},
    "nonNegativeIntegerDefault0": {"allOf": [{"$ref": "#/definitions/nonNegativeInteger"}, {"default": 0}]},
    "simpleTypes": {"enum": ["array", "boolean", "integer", "null", "number", "object", "string"]},
    "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "default": []}
  },
  "type": ["object", "boolean"],
  "properties": {
    "$id": {"type": "string", "format": "uri-reference"},
    "$schema": {"type": "string", "format": "uri"},
    "$ref": {"type": "string", "format": "uri-reference"},
    "$comment": {"type": "string"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "default": true,
    "readOnly": {"type": "boolean", "default": false},
    "writeOnly": {"type": "boolean", "default": false},
    "examples": {"type": "array", "items": true},
    "multipleOf": {"type": "number", "exclusiveMinimum": 0},
    "maximum": {"type": "number"},
    "exclusiveMaximum": {"type": "number"},
    "minimum": {"type": "number"},
    "exclusiveMinimum": {"type": "number"},
    "maxLength": {"$ref": "#/definitions/nonNegativeInteger"},
    "minLength": {"$ref": "#/definitions/nonNegativeIntegerDefault0"},
    "pattern": {"type": "string", "format": "regex"},
    "additionalItems": {"$ref": "#"},
    "items": {"anyOf": [{"$ref": "#"}, {"$ref": "#/definitions/schemaArray"}], "default": true},
    "maxItems": {"$ref": "#/definitions/nonNegativeInteger"},
    "minItems": {"$ref": "#/definitions/nonNegativeIntegerDefault0"},
    "uniqueItems": {"type": "boolean", "default": false},
    "contains": {"$ref": "#"},
    "maxProperties": {"$ref": "#/definitions/nonNegativeInteger"},
    "minProperties": {"$ref": "#/definitions/nonNegativeIntegerDefault0"},
    "required": {"$ref": "#/definitions/stringArray"},
    "additionalProperties": {"$ref": "#"},
    "definitions": {"type": "object", "additionalProperties": {"$ref": "#"}, "default": {}},
    "properties": {"type": "object", "additionalProperties": {"$ref": "#"}, "default": {}},
    "patternProperties": {"type": "object", "additionalProperties": {"$ref": "#"},
                          "propertyNames": {"format": "regex"}, "default": {}},
    "dependencies": {"type": "object",
                     "additionalProperties": {"anyOf": [{"$ref": "#"}, {"$ref": "#/definitions/stringArray"}]}},
    "propertyNames": {"$ref": "#"},
    "const": true,
    "enum": {"type": "array", "items": true},
    "type": {"anyOf": [{"$ref": "#/definitions/simpleTypes"},
                       {"type": "array", "items": {"$ref": "#/definitions/simpleTypes"},
                        "minItems": 1, "uniqueItems": true}]},
    "format": {"type": "string"},
    "contentMediaType": {"type": "string"},
    "contentEncoding": {"type": "string"},
    "if": {"$ref": "#"},
    "then": {"$ref": "#"},
    "else": {"$ref": "#"},
    "allOf": {"$ref": "#/definitions/schemaArray"},
    "anyOf": {"$ref": "#/definitions/schemaArray"},
    "oneOf": {"$ref": "#/definitions/schemaArray"},
    "not": {"$ref": "#"},
    "secret": {"type": "boolean"},
    "order": {"type": "integer"}
  },
  "default": true
})json";

namespace {

namespace json = boost::json;

const json::object& meta_document() {
  static const json::object document = json::parse(kConfigMetaSchema).as_object();
  return document;
}

const valijson::Schema& compiled_meta_schema() {
  // Built once; C++ guarantees thread-safe initialisation of the static.
  static const std::unique_ptr<valijson::Schema> compiled = [] {
    const json::value text = meta_document();
    auto schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(text);
    parser.populateSchema(adapter, *schema);
    return schema;
  }();
  return *compiled;
}

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

// The value at `at` inside `root`, or nullptr.
const json::value* value_at(const json::value& root, const SchemaPath& at) {
  const json::value* node = &root;
  for (const auto& token : at) {
    if (const auto* object = node->if_object()) {
      node = object->if_contains(token);
    } else if (const auto* array = node->if_array(); array && is_index(token) && std::stoul(token) < array->size()) {
      node = &(*array)[std::stoul(token)];
    } else {
      return nullptr;
    }
    if (!node) return nullptr;
  }
  return node;
}

// A valijson error path ({"properties","events","type"}) in `schema` split
// into the subschema and the keyword at fault.
SchemaProblem locate(const json::value& schema, const std::vector<std::string>& parts) {
  SchemaProblem problem;
  size_t i = 0;
  while (i < parts.size()) {
    const std::string& keyword = parts[i];
    const bool has_next = i + 1 < parts.size();
    if (has_next && holds_named_schemas(keyword)) {
      problem.at.insert(problem.at.end(), {keyword, parts[i + 1]});
      i += 2;
    } else if (has_next && holds_schema_list(keyword) && is_index(parts[i + 1])) {
      problem.at.insert(problem.at.end(), {keyword, parts[i + 1]});
      i += 2;
    } else if (has_next && holds_one_schema(keyword)) {
      problem.at.push_back(keyword);
      i += 1;
    } else {
      auto rule = keyword_rules().find(keyword);
      problem.keyword = keyword;
      problem.message = rule != keyword_rules().end() ? rule->second : "is invalid";
      return problem;
    }
  }
  // valijson's own text ("Value type not permitted by 'type' constraint.")
  // says nothing a plugin author can act on; the value's type does.
  const json::value* value = value_at(schema, problem.at);
  problem.message = "must be a schema (an object or a boolean), not " + (value ? type_name(*value) : "this");
  return problem;
}

}  // namespace

std::optional<SchemaProblem> meta_schema_problem(const json::value& schema) {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter adapter(schema);
  if (validator.validate(compiled_meta_schema(), adapter, &results)) return std::nullopt;
  // valijson reports the innermost failure first and then each enclosing
  // one; the deepest path is the one that names the culprit.
  const valijson::ValidationResults::Error* deepest = nullptr;
  for (const auto& error : results) {
    if (!deepest || error.context.size() > deepest->context.size()) deepest = &error;
  }
  if (!deepest) return SchemaProblem{{}, "", "not a valid JSON Schema (draft-07)"};
  std::vector<std::string> parts;
  for (size_t i = 1; i < deepest->context.size(); ++i) {
    const std::string& part = deepest->context[i];
    parts.push_back(part.size() >= 2 && part.front() == '[' ? part.substr(1, part.size() - 2) : part);
  }
  return locate(schema, parts);
}

const std::vector<std::string>& known_keywords() {
  static const std::vector<std::string> keywords = [] {
    std::vector<std::string> out;
    for (const auto& field : meta_document().at("properties").as_object()) out.emplace_back(field.key());
    std::sort(out.begin(), out.end());
    return out;
  }();
  return keywords;
}

const std::vector<std::string>& known_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& name : meta_document().at("definitions").at("simpleTypes").at("enum").as_array()) {
      out.emplace_back(name.as_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

}  // namespace sluice::host::detail
