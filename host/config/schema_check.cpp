#include "host/config/schema_check.hpp"

#include "host/config/meta_schema.hpp"
#include "host/config/pattern.hpp"
#include "host/config/schema_compile.hpp"
#include "host/config/schema_walk.hpp"

#include <algorithm>

namespace sluice::host {

namespace json = boost::json;

namespace {

using detail::SchemaPath;
using detail::SchemaProblem;

const std::string kConfigRoot = "config_schema";

// What RE2 says is wrong with a pattern: validation runs patterns on RE2
// (pattern.hpp), so one it rejects could never be checked. "" when it
// compiles.
std::string regex_error(std::string_view source) {
  std::string error;
  return Pattern::compile(source, &error) ? std::string() : error;
}

std::optional<SchemaProblem> pattern_problem(const json::value& schema) {
  return detail::first_problem(schema, [](const json::object& node, const SchemaPath& at)
                                           -> std::optional<SchemaProblem> {
    if (const auto* pattern = node.if_contains("pattern"); pattern && pattern->is_string()) {
      if (auto error = regex_error(pattern->get_string()); !error.empty()) {
        return SchemaProblem{at, "pattern", "is not a valid regular expression (" + error + ")"};
      }
    }
    if (const auto* patterns = node.if_contains("patternProperties"); patterns && patterns->is_object()) {
      for (const auto& entry : patterns->get_object()) {
        auto error = regex_error(entry.key());
        if (error.empty()) continue;
        SchemaPath here = at;
        here.emplace_back("patternProperties");
        return SchemaProblem{here, std::string(entry.key()), "is not a valid regular expression (" + error + ")"};
      }
    }
    return std::nullopt;
  });
}

// What valijson cannot compile, e.g. a "$ref" that resolves to nothing.
// Compiled the way validation compiles it (schema_compile.hpp).
std::optional<SchemaProblem> compile_problem(const json::value& schema) {
  try {
    valijson::Schema compiled;
    detail::compile_schema(schema, json::value(), compiled);
  } catch (const std::exception& e) {
    return SchemaProblem{{}, "", e.what()};
  }
  return std::nullopt;
}

// A "type" naming something draft 7 does not know ("strnig"). The
// meta-schema rejects it too, but cannot say which name is wrong.
std::optional<SchemaProblem> type_name_problem(const json::value& schema) {
  return detail::first_problem(schema, [](const json::object& node, const SchemaPath& at)
                                           -> std::optional<SchemaProblem> {
    const auto* type = node.if_contains("type");
    if (!type) return std::nullopt;
    std::vector<const json::value*> names;
    if (type->is_array()) {
      for (const auto& name : type->get_array()) names.push_back(&name);
    } else {
      names.push_back(type);
    }
    const auto& known = detail::known_type_names();
    for (const auto* name : names) {
      if (!name->is_string()) continue;  // the meta-schema check words this one
      if (std::find(known.begin(), known.end(), name->get_string()) == known.end()) {
        return SchemaProblem{at, "type", "unknown type " + json::serialize(*name)};
      }
    }
    return std::nullopt;
  });
}

// `config_schema.properties.events: "type" must be ...`
std::string config_line(const SchemaProblem& problem) {
  std::string line = detail::dotted_path(kConfigRoot, problem.at) + ": ";
  if (!problem.keyword.empty()) line += "\"" + problem.keyword + "\" ";
  return line + problem.message;
}

// `json_schema /properties/amount/type: unknown type "strnig"`
std::string pointer_line(std::string_view name, const SchemaProblem& problem) {
  SchemaPath at = problem.at;
  if (!problem.keyword.empty()) at.push_back(problem.keyword);
  std::string pointer = detail::json_pointer(at);
  return std::string(name) + (pointer.empty() ? "" : " " + pointer) + ": " + problem.message;
}

}  // namespace

std::optional<std::string> check_config_schema(const json::value& schema) {
  if (!schema.is_object()) return kConfigRoot + ": must be a JSON object";
  if (auto problem = detail::meta_schema_problem(schema)) return config_line(*problem);
  if (const auto* type = schema.get_object().if_contains("type"); type && *type != "object") {
    return kConfigRoot + ": \"type\" must be \"object\" at the top level (a config is a JSON object)";
  }
  if (auto problem = pattern_problem(schema)) return config_line(*problem);
  if (auto problem = compile_problem(schema)) return config_line(*problem);
  return std::nullopt;
}

std::optional<std::string> check_record_schema(const json::value& schema, std::string_view name) {
  for (auto check : {type_name_problem, detail::meta_schema_problem, pattern_problem, compile_problem}) {
    if (auto problem = check(schema)) return pointer_line(name, *problem);
  }
  return std::nullopt;
}

}  // namespace sluice::host
