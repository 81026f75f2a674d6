#include "host/config/secrets.hpp"

#include <algorithm>

namespace sluice::host {

namespace json = boost::json;

namespace {

// The schemas that apply to `schema`'s own level: itself and its branches.
std::vector<const json::object*> alternatives(const json::object& schema) {
  std::vector<const json::object*> out{&schema};
  for (const char* keyword : {"oneOf", "anyOf", "allOf"}) {
    const auto* branches = schema.if_contains(keyword);
    if (!branches || !branches->is_array()) continue;
    for (const auto& branch : branches->get_array()) {
      if (branch.is_object()) {
        auto nested = alternatives(branch.get_object());
        out.insert(out.end(), nested.begin(), nested.end());
      }
    }
  }
  return out;
}

bool is_secret(const json::object& schema) {
  for (const auto* s : alternatives(schema)) {
    const auto* flag = s->if_contains("secret");
    if (flag && flag->is_bool() && flag->get_bool()) return true;
  }
  return false;
}

// Calls visit(value) for each value that sits at a secret property, or
// replaces it when `replace` is set.
template <typename Visit>
void walk(const json::object& schema, json::value& config, Visit&& visit) {
  if (is_secret(schema)) {
    visit(config);
    return;
  }
  auto levels = alternatives(schema);
  if (auto* object = config.if_object()) {
    for (auto& field : *object) {
      for (const auto* level : levels) {
        const auto* properties = level->if_contains("properties");
        const auto* sub = properties && properties->is_object() ? properties->get_object().if_contains(field.key())
                                                                : nullptr;
        if (sub && sub->is_object()) walk(sub->get_object(), field.value(), visit);
      }
    }
  } else if (auto* array = config.if_array()) {
    for (const auto* level : levels) {
      const auto* items = level->if_contains("items");
      if (!items || !items->is_object()) continue;
      for (auto& item : *array) walk(items->get_object(), item, visit);
    }
  }
}

}  // namespace

std::vector<std::string> collect_secret_values(const json::object& schema, const json::value& config) {
  std::vector<std::string> out;
  json::value copy = config;
  walk(schema, copy, [&](json::value& v) {
    if (v.is_string()) out.emplace_back(v.get_string());
    else if (!v.is_null() && !v.is_object()) out.push_back(json::serialize(v));
  });
  return out;
}

json::value mask_secrets(const json::object& schema, const json::value& config) {
  json::value copy = config;
  walk(schema, copy, [](json::value& v) {
    if (!v.is_null()) v = json::string(kMask);
  });
  return copy;
}

Redactor& Redactor::instance() {
  static Redactor redactor;
  return redactor;
}

void Redactor::add(std::string secret) {
  if (secret.empty()) return;
  // Inside JSON output a secret with quotes or backslashes appears escaped.
  std::string escaped = json::serialize(json::string(secret));
  escaped = escaped.substr(1, escaped.size() - 2);
  if (escaped != secret) add(escaped);
  std::lock_guard lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.push_back(std::move(secret));
  // Longest first, so a secret containing another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void Redactor::clear() {
  std::lock_guard lock(mutex_);
  secrets_.clear();
}

std::string Redactor::apply(std::string_view text) const {
  std::lock_guard lock(mutex_);
  std::string out(text);
  for (const auto& secret : secrets_) {
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size())) {
      out.replace(at, secret.size(), kMask);
    }
  }
  return out;
}

}  // namespace sluice::host
