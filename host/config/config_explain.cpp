#include "host/config/config_explain.hpp"

#include "host/config/pattern.hpp"
#include "host/config/schema_walk.hpp"
#include "host/config/string_format.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>

namespace sluice::host::detail {

namespace json = boost::json;

namespace {

void explain_resolved(const json::object& root, const json::object& schema, const json::value& value,
                      const std::string& path, std::vector<std::string>& out);

void add(std::vector<std::string>& out, const std::string& path, const std::string& message) {
  out.push_back((path.empty() ? std::string("config") : path) + ": " + message);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : std::string(separator)) + part;
  return out;
}

double as_double(const json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  return value.get_double();
}

bool type_matches(std::string_view expected, const std::string& actual) {
  return expected == actual || (expected == "number" && actual == "integer");
}

// Returns false (after reporting) when the value has none of the schema's
// types: further keywords would only add noise.
bool check_type(const json::object& schema, const json::value& value, const std::string& path,
                std::vector<std::string>& out) {
  const auto* type = schema.if_contains("type");
  if (!type) return true;
  std::vector<std::string> expected;
  if (type->is_string()) expected.emplace_back(type->get_string());
  if (type->is_array()) {
    for (const auto& t : type->get_array()) {
      if (t.is_string()) expected.emplace_back(t.get_string());
    }
  }
  const std::string actual = type_name(value);
  for (const auto& t : expected) {
    if (type_matches(t, actual)) return true;
  }
  add(out, path, "expected " + join(expected, " or ") + ", got " + actual);
  return false;
}

void check_enum_const(const json::object& schema, const json::value& value, const std::string& path,
                      std::vector<std::string>& out) {
  if (const auto* allowed = schema.if_contains("enum"); allowed && allowed->is_array()) {
    const auto& list = allowed->get_array();
    if (std::find(list.begin(), list.end(), value) == list.end()) {
      std::vector<std::string> names;
      for (const auto& item : list) names.push_back(json::serialize(item));
      std::string message = "must be one of " + join(names, ", ");
      if (!is_secret(schema)) message += " (got " + json::serialize(value) + ")";
      add(out, path, message);
    }
  }
  if (const auto* constant = schema.if_contains("const"); constant && *constant != value) {
    add(out, path, "must be " + json::serialize(*constant));
  }
}

void check_number(const json::object& schema, const json::value& value, const std::string& path,
                  std::vector<std::string>& out) {
  if (!value.is_number()) return;
  const double number = as_double(value);
  // A secret number (a PIN) is not echoed.
  const std::string got = is_secret(schema) ? "" : " (got " + format_number(value) + ")";
  struct Bound {
    const char* keyword;
    const char* words;
    bool (*ok)(double, double);
  };
  static const Bound bounds[] = {
      {"minimum", "must be at least ", [](double v, double b) { return v >= b; }},
      {"maximum", "must be at most ", [](double v, double b) { return v <= b; }},
      {"exclusiveMinimum", "must be greater than ", [](double v, double b) { return v > b; }},
      {"exclusiveMaximum", "must be less than ", [](double v, double b) { return v < b; }},
  };
  for (const auto& bound : bounds) {
    const auto* limit = schema.if_contains(bound.keyword);
    if (limit && limit->is_number() && !bound.ok(number, as_double(*limit))) {
      add(out, path, bound.words + format_number(*limit) + got);
    }
  }
  if (const auto* divisor = schema.if_contains("multipleOf"); divisor && divisor->is_number()) {
    double quotient = number / as_double(*divisor);
    if (std::fabs(quotient - std::round(quotient)) > 1e-9) {
      add(out, path, "must be a multiple of " + format_number(*divisor) + got);
    }
  }
}

// Bounds on a count: string length, array items, object properties.
void check_count(const json::object& schema, size_t count, const char* min_keyword, const char* max_keyword,
                 const std::string& noun, const std::string& path, std::vector<std::string>& out) {
  const auto* min = schema.if_contains(min_keyword);
  if (min && min->is_number() && static_cast<double>(count) < as_double(*min)) {
    add(out, path, "must have at least " + format_number(*min) + " " + noun);
  }
  const auto* max = schema.if_contains(max_keyword);
  if (max && max->is_number() && static_cast<double>(count) > as_double(*max)) {
    add(out, path, "must have at most " + format_number(*max) + " " + noun);
  }
}

// Patterns come from plugin schemas, a small set, while a config may hold
// many keys: compile each pattern once per process.
const Pattern* compiled_pattern(std::string_view source) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<Pattern>, std::less<>> cache;
  std::lock_guard lock(mutex);
  auto found = cache.find(source);
  if (found == cache.end()) found = cache.emplace(std::string(source), Pattern::compile(source)).first;
  return found->second ? &*found->second : nullptr;
}

void check_string(const json::object& schema, const json::string& text, const std::string& path,
                  std::vector<std::string>& out) {
  // Characters, as JSON Schema counts them: UTF-8 lead bytes.
  size_t length = static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  check_count(schema, length, "minLength", "maxLength", "characters", path, out);
  if (const auto* pattern = schema.if_contains("pattern"); pattern && pattern->is_string()) {
    // check_config_schema rejects a pattern that does not compile at plugin load.
    const Pattern* compiled = compiled_pattern(pattern->get_string());
    if (compiled && !compiled->found_in(text)) add(out, path, "does not match pattern " + compiled->source());
  }
  if (const auto* format = schema.if_contains("format"); format && format->is_string()) {
    if (!matches_format(format->get_string(), text)) add(out, path, "must be a " + std::string(format->get_string()));
  }
}

bool key_matches(std::string_view pattern, std::string_view key) {
  const Pattern* compiled = compiled_pattern(pattern);
  return compiled && compiled->found_in(key);
}

bool matches_any_pattern(const json::object& schema, std::string_view key) {
  const auto* patterns = schema.if_contains("patternProperties");
  if (!patterns || !patterns->is_object()) return false;
  for (const auto& entry : patterns->get_object()) {
    if (key_matches(entry.key(), key)) return true;
  }
  return false;
}

void check_object(const json::object& root, const json::object& schema, const json::object& object,
                  const std::string& path, std::vector<std::string>& out) {
  if (const auto* required = schema.if_contains("required"); required && required->is_array()) {
    for (const auto& name : required->get_array()) {
      if (name.is_string() && !object.contains(name.get_string())) {
        add(out, child_path(path, name.get_string()), "required property missing");
      }
    }
  }
  const auto* properties = schema.if_contains("properties");
  const json::object* known = properties ? properties->if_object() : nullptr;
  if (known) {
    for (const auto& property : *known) {
      if (const auto* child = object.if_contains(property.key())) {
        explain(root, property.value(), *child, child_path(path, property.key()), out);
      }
    }
  }
  if (const auto* patterns = schema.if_contains("patternProperties"); patterns && patterns->is_object()) {
    for (const auto& field : object) {
      for (const auto& entry : patterns->get_object()) {
        if (key_matches(entry.key(), field.key())) {
          explain(root, entry.value(), field.value(), child_path(path, field.key()), out);
        }
      }
    }
  }
  const auto* additional = schema.if_contains("additionalProperties");
  if (!additional) return;
  for (const auto& field : object) {
    if ((known && known->contains(field.key())) || matches_any_pattern(schema, field.key())) continue;
    if (additional->is_bool() && !additional->get_bool()) {
      add(out, child_path(path, field.key()), "unknown property");
    } else if (additional->is_object()) {
      explain(root, *additional, field.value(), child_path(path, field.key()), out);
    }
  }
  check_count(schema, object.size(), "minProperties", "maxProperties", "properties", path, out);
}

void check_array(const json::object& root, const json::object& schema, const json::array& array,
                 const std::string& path, std::vector<std::string>& out) {
  check_count(schema, array.size(), "minItems", "maxItems", "items", path, out);
  if (const auto* unique = schema.if_contains("uniqueItems"); unique && unique->is_bool() && unique->get_bool()) {
    for (size_t i = 0; i < array.size(); ++i) {
      if (std::find(array.begin() + static_cast<std::ptrdiff_t>(i) + 1, array.end(), array[i]) != array.end()) {
        add(out, path, "must not contain duplicate items");
        break;
      }
    }
  }
  const auto* items = schema.if_contains("items");
  if (!items) return;
  if (items->is_array()) {  // tuple form: one schema per position
    const auto& tuple = items->get_array();
    for (size_t i = 0; i < array.size() && i < tuple.size(); ++i) {
      explain(root, tuple[i], array[i], index_path(path, i), out);
    }
    const auto* extra = schema.if_contains("additionalItems");
    if (extra && extra->is_bool() && !extra->get_bool() && array.size() > tuple.size()) {
      add(out, path, "must have at most " + std::to_string(tuple.size()) + " items");
    }
    return;
  }
  for (size_t i = 0; i < array.size(); ++i) explain(root, *items, array[i], index_path(path, i), out);
}

std::string branch_label(const json::object& branch, size_t index) {
  std::string title = title_of(branch);
  return title.empty() ? "option " + std::to_string(index + 1) : title;
}

// oneOf/anyOf: one summary line naming the choices, followed by the problems
// of the branch the config came closest to, when exactly one is closest (the
// usual case for a choice told apart by a "const" property).
void check_choice(const json::object& root, const json::object& schema, const json::value& value,
                  const std::string& path, std::vector<std::string>& out) {
  for (const char* keyword : {"oneOf", "anyOf"}) {
    auto list = branches(root, schema, keyword);
    if (list.empty()) continue;
    std::vector<std::vector<std::string>> problems(list.size());
    std::vector<std::string> labels;
    size_t matched = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      explain_resolved(root, *list[i], value, path, problems[i]);
      labels.push_back(branch_label(*list[i], i));
      if (problems[i].empty()) ++matched;
    }
    const bool one_of = std::string_view(keyword) == "oneOf";
    if (matched == 1 || (!one_of && matched > 0)) continue;
    if (matched > 1) {
      add(out, path, "matches more than one of: " + join(labels, ", "));
      continue;
    }
    add(out, path, std::string(one_of ? "must match exactly one of: " : "must match at least one of: ") +
                       join(labels, ", "));
    size_t best = 0;
    size_t best_count = 0;
    for (size_t i = 0; i < problems.size(); ++i) {
      if (problems[i].size() < problems[best].size()) best = i;
    }
    for (const auto& p : problems) best_count += p.size() == problems[best].size() ? 1 : 0;
    if (best_count == 1) out.insert(out.end(), problems[best].begin(), problems[best].end());
  }
  for (const auto* branch : branches(root, schema, "allOf")) explain_resolved(root, *branch, value, path, out);
  if (const auto* negated = schema.if_contains("not")) {
    std::vector<std::string> inner;
    explain(root, *negated, value, path, inner);
    if (inner.empty()) add(out, path, "must not match the schema under \"not\"");
  }
}

void explain_resolved(const json::object& root, const json::object& schema, const json::value& value,
                      const std::string& path, std::vector<std::string>& out) {
  if (!check_type(schema, value, path, out)) return;
  check_enum_const(schema, value, path, out);
  if (value.is_object()) check_object(root, schema, value.get_object(), path, out);
  if (value.is_array()) check_array(root, schema, value.get_array(), path, out);
  if (value.is_string()) check_string(schema, value.get_string(), path, out);
  check_number(schema, value, path, out);
  check_choice(root, schema, value, path, out);
}

}  // namespace

void explain(const json::object& root, const json::value& schema, const json::value& value,
             const std::string& path, std::vector<std::string>& out) {
  if (schema.is_bool()) {
    if (!schema.get_bool()) add(out, path, "no value is allowed here");
    return;
  }
  if (const json::object* resolved = resolve(root, schema)) explain_resolved(root, *resolved, value, path, out);
}

}  // namespace sluice::host::detail
