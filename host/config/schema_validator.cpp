#include "host/config/schema_validator.hpp"

#include "host/config/config_explain.hpp"
#include "host/config/schema_compile.hpp"
#include "host/config/schema_walk.hpp"

#include <algorithm>
#include <set>

namespace sluice::host {

namespace json = boost::json;

namespace {

// valijson error contexts are {"<root>", "[name]", "[0]", ...}.
std::vector<std::string> context_parts(const std::vector<std::string>& context) {
  std::vector<std::string> parts;
  for (size_t i = 1; i < context.size(); ++i) {
    const std::string& part = context[i];
    parts.push_back(part.size() >= 2 && part.front() == '[' && part.back() == ']' ? part.substr(1, part.size() - 2)
                                                                                  : part);
  }
  return parts;
}

bool is_index(const std::string& part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Fallback for keywords config_explain does not cover: valijson's own words at
// valijson's path.
std::vector<std::string> raw_valijson_lines(const valijson::ValidationResults& results, std::string_view root_path) {
  std::vector<std::string> lines;
  for (const auto& error : results) {
    std::string path(root_path);
    for (const auto& part : context_parts(error.context)) {
      path = is_index(part) ? detail::index_path(path, std::stoul(part)) : detail::child_path(path, part);
    }
    lines.push_back(path + ": " + error.description);
  }
  return lines;
}

void keep_first_of_each(std::vector<std::string>& lines) {
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (auto& line : lines) {
    if (seen.insert(line).second) unique.push_back(std::move(line));
  }
  lines = std::move(unique);
}

}  // namespace

std::vector<std::string> validate_config(const json::object& schema, const json::value& config,
                                         std::string_view root_path) {
  const json::value schema_value(schema);
  valijson::Schema compiled;
  try {
    detail::compile_schema(schema_value, config, compiled);
  } catch (const std::exception& e) {
    return {std::string(root_path) + ": the plugin's config schema is unusable: " + e.what()};
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(config);
  if (validator.validate(compiled, target, &results)) return {};

  std::vector<std::string> lines;
  detail::explain(schema, schema_value, config, std::string(root_path), lines);
  if (lines.empty()) lines = raw_valijson_lines(results, root_path);
  keep_first_of_each(lines);
  return lines;
}

}  // namespace sluice::host
