#include "host/config/secrets.hpp"

#include "host/config/schema_walk.hpp"

#include <functional>

namespace sluice::host {

namespace json = boost::json;

namespace {

using Visit = std::function<void(json::value&)>;

// Calls `visit` on every value of `value` that `schema` marks secret. A
// secret value is visited whole and not descended into.
void walk(const json::object& root, const json::value& schema_value, json::value& value, const Visit& visit) {
  const json::object* schema = detail::resolve(root, schema_value);
  if (!schema || value.is_null()) return;
  if (detail::is_secret(*schema)) {
    visit(value);
    return;
  }
  for (const char* keyword : {"oneOf", "anyOf", "allOf"}) {
    for (const auto* branch : detail::branches(root, *schema, keyword)) {
      walk(root, json::value(*branch), value, visit);
      if (value.is_string() && value.get_string() == kMask) return;  // masked by this branch
    }
  }
  if (auto* object = value.if_object()) {
    const auto* properties = schema->if_contains("properties");
    const json::object* known = properties ? properties->if_object() : nullptr;
    const auto* additional = schema->if_contains("additionalProperties");
    for (auto& field : *object) {
      if (const auto* property = known ? known->if_contains(field.key()) : nullptr) {
        walk(root, *property, field.value(), visit);
      } else if (additional && additional->is_object()) {
        walk(root, *additional, field.value(), visit);
      }
    }
  }
  if (auto* array = value.if_array()) {
    const auto* items = schema->if_contains("items");
    if (!items) return;
    for (size_t i = 0; i < array->size(); ++i) {
      if (items->is_array()) {
        if (i < items->get_array().size()) walk(root, items->get_array()[i], (*array)[i], visit);
      } else {
        walk(root, *items, (*array)[i], visit);
      }
    }
  }
}

void collect_leaves(const json::value& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    if (!value.get_string().empty()) out.emplace_back(value.get_string());
  } else if (value.is_object()) {
    for (const auto& field : value.get_object()) collect_leaves(field.value(), out);
  } else if (value.is_array()) {
    for (const auto& element : value.get_array()) collect_leaves(element, out);
  } else if (!value.is_null()) {
    out.push_back(json::serialize(value));
  }
}

}  // namespace

std::vector<std::string> collect_secret_values(const json::object& schema, const json::value& config) {
  std::vector<std::string> out;
  json::value copy = config;  // walk() takes a mutable value so mask_secrets can share it
  walk(schema, json::value(schema), copy, [&out](json::value& secret) { collect_leaves(secret, out); });
  return out;
}

json::value mask_secrets(const json::object& schema, const json::value& config) {
  json::value copy = config;
  walk(schema, json::value(schema), copy, [](json::value& secret) { secret = kMask; });
  return copy;
}

}  // namespace sluice::host
