#include "host/config/keyword_lint.hpp"

#include "host/config/closest_name.hpp"
#include "host/config/meta_schema.hpp"
#include "host/config/schema_walk.hpp"

#include <algorithm>

namespace sluice::host {

namespace json = boost::json;

std::optional<std::string> find_unknown_keyword(const json::value& schema) {
  const auto& known = detail::known_keywords();
  auto problem = detail::first_problem(schema, [&](const json::object& node, const detail::SchemaPath& at)
                                                   -> std::optional<detail::SchemaProblem> {
    for (const auto& field : node) {
      if (!std::binary_search(known.begin(), known.end(), field.key())) {
        return detail::SchemaProblem{at, std::string(field.key()), ""};
      }
    }
    return std::nullopt;
  });
  if (!problem) return std::nullopt;
  const std::string pointer = detail::json_pointer(problem->at);
  std::string line = "unknown keyword " + json::serialize(json::string(problem->keyword)) + " at " +
                     (pointer.empty() ? "the top level" : pointer);
  if (auto suggestion = closest_name(problem->keyword, known)) line += " (did you mean \"" + *suggestion + "\"?)";
  return line;
}

}  // namespace sluice::host
