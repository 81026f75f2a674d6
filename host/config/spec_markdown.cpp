#include "host/config/spec_markdown.hpp"

#include "host/config/schema_walk.hpp"

#include <algorithm>
#include <optional>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::string escape_cell(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '|') out += "\\|";
    else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // the \n follows
    else if (c == '\n' || c == '\r') out += "<br>";
    else out += c;
  }
  return out;
}

std::string join_values(const json::array& values) {
  std::string out;
  for (const auto& value : values) {
    out += out.empty() ? "" : ", ";
    out += value.is_string() ? std::string(value.get_string()) : json::serialize(value);
  }
  return out;
}

std::string type_text(const json::object& root, const json::object& schema) {
  std::string type;
  if (const auto* t = schema.if_contains("type")) {
    if (t->is_string()) type = std::string(t->get_string());
    else if (t->is_array()) {
      for (const auto& part : t->get_array()) {
        if (part.is_string()) type += (type.empty() ? "" : " or ") + std::string(part.get_string());
      }
    }
  }
  if (type == "array") {
    if (const json::object* items = schema.if_contains("items") ? detail::resolve(root, schema.at("items")) : nullptr) {
      std::string inner = type_text(root, *items);
      if (!inner.empty()) type += " of " + inner;
    }
  }
  if (const auto* format = schema.if_contains("format"); format && format->is_string()) {
    type += " (" + std::string(format->get_string()) + ")";
  }
  if (const auto* allowed = schema.if_contains("enum"); allowed && allowed->is_array()) {
    type += (type.empty() ? "one of " : ": one of ") + join_values(allowed->get_array());
  }
  if (const auto* constant = schema.if_contains("const")) {
    type += (type.empty() ? "always " : ": always ") + join_values(json::array{*constant});
  }
  return type;
}

std::string description_text(const json::object& schema) {
  std::string title = detail::title_of(schema);
  std::string description;
  if (const auto* d = schema.if_contains("description"); d && d->is_string()) description = d->get_string();
  if (title.empty() || description.empty()) return title + description;
  const char last = title.back();
  return title + (last == '.' || last == '?' || last == '!' || last == ':' ? " " : ". ") + description;
}

struct Field {
  std::string name;
  const json::object* schema;
  std::optional<int64_t> order;
};

// Properties in display order: by "order" (absent last), then by name.
std::vector<Field> ordered_fields(const json::object& root, const json::object& schema) {
  std::vector<Field> fields;
  const auto* properties = schema.if_contains("properties");
  if (!properties || !properties->is_object()) return fields;
  for (const auto& property : properties->get_object()) {
    const json::object* child = detail::resolve(root, property.value());
    if (!child) continue;
    std::optional<int64_t> order;
    if (const auto* o = child->if_contains("order"); o && o->is_int64()) order = o->get_int64();
    fields.push_back({std::string(property.key()), child, order});
  }
  std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) {
    if (a.order.has_value() != b.order.has_value()) return a.order.has_value();
    if (a.order != b.order) return *a.order < *b.order;
    return a.name < b.name;
  });
  return fields;
}

bool is_required(const json::object& parent, std::string_view name) {
  const auto* required = parent.if_contains("required");
  if (!required || !required->is_array()) return false;
  const auto& list = required->get_array();
  return std::find(list.begin(), list.end(), json::value(name)) != list.end();
}

class TableWriter {
 public:
  explicit TableWriter(const json::object& root) : root_(root) {}

  // Rows for the fields of object schema `schema`, named under `prefix`;
  // `condition` ("(when ...) ") starts each row's description.
  void object_rows(const json::object& schema, const std::string& prefix, const std::string& condition) {
    // A recursive schema ("$ref": "#") would otherwise never end.
    if (depth_ >= kMaxDepth) return;
    ++depth_;
    for (const auto& field : ordered_fields(root_, schema)) {
      const std::string path = prefix + field.name;
      row(path, *field.schema, is_required(schema, field.name), condition);
      nested_rows(*field.schema, path, condition);
    }
    choice_rows(schema, prefix.empty() ? "the config" : prefix.substr(0, prefix.size() - 1), prefix, condition);
    --depth_;
  }

  std::string text() const { return out_; }
  bool empty() const { return out_.empty(); }

 private:
  void nested_rows(const json::object& schema, const std::string& path, const std::string& condition) {
    object_rows(schema, path + ".", condition);
    if (const auto* items = schema.if_contains("items")) {
      if (const json::object* element = detail::resolve(root_, *items)) {
        object_rows(*element, path + "[].", condition);
      }
    }
  }

  void choice_rows(const json::object& schema, const std::string& subject, const std::string& prefix,
                   const std::string& condition) {
    for (const char* keyword : {"oneOf", "anyOf"}) {
      auto list = detail::branches(root_, schema, keyword);
      for (size_t i = 0; i < list.size(); ++i) {
        std::string label = detail::title_of(*list[i]);
        if (label.empty()) label = "option " + std::to_string(i + 1);
        object_rows(*list[i], prefix, condition + "(when " + subject + " is " + label + ") ");
      }
    }
    for (const auto* branch : detail::branches(root_, schema, "allOf")) object_rows(*branch, prefix, condition);
  }

  void row(const std::string& path, const json::object& schema, bool required, const std::string& condition) {
    std::string type = type_text(root_, schema);
    std::vector<std::string> labels;
    auto choices = detail::branches(root_, schema, "oneOf");
    if (choices.empty()) choices = detail::branches(root_, schema, "anyOf");
    for (size_t i = 0; i < choices.size(); ++i) {
      std::string label = detail::title_of(*choices[i]);
      labels.push_back(label.empty() ? "option " + std::to_string(i + 1) : label);
    }
    if (!labels.empty()) {
      std::string names;
      for (const auto& label : labels) names += (names.empty() ? "" : ", ") + label;
      type += (type.empty() ? "one of " : ": one of ") + names;
    }
    std::string fallback;
    if (const auto* value = schema.if_contains("default")) fallback = "`" + json::serialize(*value) + "`";
    out_ += "| `" + escape_cell(path) + "` | " + escape_cell(type) + " | " + (required ? "yes" : "no") + " | " +
            escape_cell(fallback) + " | " + (detail::is_secret(schema) ? "yes" : "no") + " | " +
            escape_cell(trim_end(condition + description_text(schema))) + " |\n";
  }

  static std::string trim_end(std::string text) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  }

  static constexpr int kMaxDepth = 8;
  const json::object& root_;
  std::string out_;
  int depth_ = 0;
};

}  // namespace

std::string render_config_table_markdown(const json::object& config_schema) {
  TableWriter writer(config_schema);
  writer.object_rows(config_schema, "", "");
  if (writer.empty()) return "This connector takes no configuration.\n";
  return "| Field | Type | Required | Default | Secret | Description |\n"
         "|---|---|---|---|---|---|\n" +
         writer.text();
}

}  // namespace sluice::host
