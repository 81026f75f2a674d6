#include "host/config/spec_markdown.hpp"

#include <algorithm>
#include <limits>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string text_of(const json::object& schema, const char* key) {
  const auto* value = schema.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : "";
}

std::string type_of(const json::object& schema) {
  std::string type;
  if (const auto* t = schema.if_contains("type")) {
    if (t->is_string()) {
      type = std::string(t->get_string());
    } else if (t->is_array()) {
      for (const auto& part : t->get_array()) {
        if (part.is_string() && part.get_string() != "null") type += (type.empty() ? "" : " or ") + std::string(part.get_string());
      }
    }
  }
  if (schema.contains("oneOf")) type = type.empty() ? "one of" : type + ", one of";
  std::string format = text_of(schema, "format");
  if (!format.empty()) type += " (" + format + ")";
  if (const auto* values = schema.if_contains("enum"); values && values->is_array()) {
    std::string list;
    for (const auto& v : values->get_array()) {
      list += (list.empty() ? "" : ", ") + (v.is_string() ? std::string(v.get_string()) : json::serialize(v));
    }
    type += ": one of " + list;
  }
  if (type == "array") {
    if (const auto* items = schema.if_contains("items"); items && items->is_object()) {
      std::string item = type_of(items->get_object());
      if (!item.empty()) type = "array of " + item;
    }
  }
  return type;
}

// Properties in display order: "order" ascending, then schema order.
std::vector<std::pair<std::string, const json::object*>> ordered(const json::object& schema) {
  std::vector<std::pair<std::string, const json::object*>> out;
  const auto* properties = schema.if_contains("properties");
  if (!properties || !properties->is_object()) return out;
  for (const auto& p : properties->get_object()) {
    if (p.value().is_object()) out.emplace_back(std::string(p.key()), &p.value().get_object());
  }
  auto order = [](const json::object* s) {
    const auto* o = s->if_contains("order");
    return o && o->is_number() ? o->to_number<double>() : std::numeric_limits<double>::max();
  };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return order(a.second) < order(b.second); });
  return out;
}

bool is_required(const json::object& parent, const std::string& name) {
  const auto* required = parent.if_contains("required");
  if (!required || !required->is_array()) return false;
  const auto& list = required->get_array();
  return std::any_of(list.begin(), list.end(), [&](const auto& r) { return r.is_string() && r.get_string() == name; });
}

void rows(const json::object& schema, const std::string& prefix, const std::string& condition, std::string& out) {
  for (const auto& [name, property] : ordered(schema)) {
    std::string path = prefix + name;
    std::string description = text_of(*property, "title");
    std::string details = text_of(*property, "description");
    if (!details.empty()) description += (description.empty() ? "" : ": ") + details;
    if (!condition.empty()) description = "(" + condition + ") " + description;
    const auto* fallback = property->if_contains("default");
    const auto* secret = property->if_contains("secret");
    out += "| `" + escape(path) + "` | " + escape(type_of(*property)) + " | " +
           (is_required(schema, name) ? "yes" : "no") + " | " +
           (fallback ? "`" + escape(json::serialize(*fallback)) + "`" : "") + " | " +
           (secret && secret->is_bool() && secret->get_bool() ? "yes" : "") + " | " + escape(description) + " |\n";
    if (property->contains("properties")) rows(*property, path + ".", condition, out);
    if (const auto* branches = property->if_contains("oneOf"); branches && branches->is_array()) {
      size_t i = 0;
      for (const auto& branch : branches->get_array()) {
        ++i;
        if (!branch.is_object()) continue;
        std::string title = text_of(branch.get_object(), "title");
        rows(branch.get_object(), path + ".", "when " + path + " is " + (title.empty() ? "#" + std::to_string(i) : title),
             out);
      }
    }
  }
}

}  // namespace

std::string render_config_table_markdown(const json::object& config_schema) {
  std::string out = "| Field | Type | Required | Default | Secret | Description |\n"
                    "|---|---|---|---|---|---|\n";
  rows(config_schema, "", "", out);
  return out;
}

}  // namespace sluice::host
