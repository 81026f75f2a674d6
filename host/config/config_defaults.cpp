// apply_defaults (declared in schema_validator.hpp).
#include "host/config/config_explain.hpp"
#include "host/config/schema_validator.hpp"
#include "host/config/schema_walk.hpp"

namespace sluice::host {

namespace json = boost::json;

namespace {

void fill(const json::object& root, const json::object& schema, json::value& value);

void fill_object(const json::object& root, const json::object& schema, json::object& object) {
  const auto* properties = schema.if_contains("properties");
  if (properties && properties->is_object()) {
    for (const auto& property : properties->get_object()) {
      const json::object* child = detail::resolve(root, property.value());
      if (!child) continue;
      if (auto* present = object.if_contains(property.key())) {
        fill(root, *child, *present);
      } else if (const auto* fallback = child->if_contains("default")) {
        object[property.key()] = *fallback;
      }
    }
  }
}

void fill(const json::object& root, const json::object& schema, json::value& value) {
  if (auto* object = value.if_object()) fill_object(root, schema, *object);
  if (auto* array = value.if_array()) {
    const json::object* items = schema.if_contains("items") ? detail::resolve(root, schema.at("items")) : nullptr;
    if (items) {
      for (auto& element : *array) fill(root, *items, element);
    }
  }
  for (const auto* branch : detail::branches(root, schema, "allOf")) fill(root, *branch, value);
  // Only the branch the value matches contributes its defaults; with several
  // matches there is no telling which one the user meant.
  for (const char* keyword : {"oneOf", "anyOf"}) {
    const json::object* chosen = nullptr;
    int matches = 0;
    for (const auto* branch : detail::branches(root, schema, keyword)) {
      std::vector<std::string> problems;
      detail::explain(root, json::value(*branch), value, "", problems);
      if (problems.empty()) {
        chosen = branch;
        ++matches;
      }
    }
    if (matches == 1 && chosen) fill(root, *chosen, value);
  }
}

}  // namespace

json::object apply_defaults(const json::object& schema, const json::object& config) {
  json::value out(config);
  fill(schema, schema, out);
  return std::move(out.as_object());
}

}  // namespace sluice::host
