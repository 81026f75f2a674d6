#include "host/config/schema_compile.hpp"

#include "host/config/pattern.hpp"
#include "host/config/schema_walk.hpp"
#include "host/config/string_format.hpp"

#include <new>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

namespace sluice::host::detail {

namespace json = boost::json;

namespace {

// Keyword names valijson does not know: it hands them to the builders below.
// keyword_lint refuses unknown keywords in a plugin's schema, so a plugin
// cannot write these itself.
constexpr const char* kPatternKeyword = "x-sluice-pattern";
constexpr const char* kFormatKeyword = "x-sluice-format";
constexpr const char* kMovedPrefix = "x-sluice-pattern-properties-";

Pattern compile_pattern(std::string_view source) {
  std::string error;
  auto pattern = Pattern::compile(source, &error);
  if (!pattern) {
    throw std::invalid_argument("\"" + std::string(source) + "\" is not a valid regular expression (" + error + ")");
  }
  return *pattern;
}

void push_error(valijson::ValidationResults* results, const std::vector<std::string>& context, const char* message) {
  if (results) results->pushError(context, message);
}

// valijson copies constraints into raw memory (cloneInto) and destroys them
// there; both classes are plain values.
class PatternConstraint final : public valijson::constraints::PolyConstraint {
 public:
  explicit PatternConstraint(Pattern pattern) : pattern_(std::move(pattern)) {}
  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString() || pattern_.found_in(target.getString())) return true;
    push_error(results, context, "Failed to match regex specified by 'pattern' constraint.");
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) PatternConstraint(*this); }
  size_t sizeOf() const override { return sizeof(PatternConstraint); }

  Pattern pattern_;
};

class FormatConstraint final : public valijson::constraints::PolyConstraint {
 public:
  explicit FormatConstraint(std::string format) : format_(std::move(format)) {}
  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString() || matches_format(format_, target.getString())) return true;
    push_error(results, context, "String does not match its 'format'.");
    return false;
  }

 private:
  Constraint* cloneInto(void* memory) const override { return new (memory) FormatConstraint(*this); }
  size_t sizeOf() const override { return sizeof(FormatConstraint); }

  std::string format_;
};

class PatternBuilder final : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    return new PatternConstraint(compile_pattern(value.asString()));
  }
};

class FormatBuilder final : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    return new FormatConstraint(value.asString());
  }
};

// Every object key anywhere in `value`.
void collect_keys(const json::value& value, std::set<std::string>& keys) {
  if (const auto* array = value.if_array()) {
    for (const auto& item : *array) collect_keys(item, keys);
  } else if (const auto* object = value.if_object()) {
    for (const auto& field : *object) {
      keys.emplace(field.key());
      collect_keys(field.value(), keys);
    }
  }
}

class Rewrite {
 public:
  explicit Rewrite(const json::value& config) { collect_keys(config, keys_); }

  json::value run(json::value schema) {
    if (const auto* root = schema.if_object()) {
      if (const auto* definitions = root->if_contains("definitions"); definitions && definitions->is_object()) {
        for (const auto& field : definitions->get_object()) taken_.emplace(field.key());
      }
    }
    walk(schema);
    // A moved schema may hold patternProperties of its own: more moves.
    for (size_t i = 0; i < moved_.size(); ++i) {
      json::value sub = std::move(moved_[i].second);
      walk(sub);
      moved_[i].second = std::move(sub);
    }
    if (!moved_.empty()) {
      json::value& definitions = schema.as_object()["definitions"];
      if (definitions.is_null()) definitions = json::object();
      for (auto& [name, sub] : moved_) definitions.as_object()[name] = std::move(sub);
    }
    return schema;
  }

 private:
  // Parents first, so a subschema is rewritten after its parent added to it.
  void walk(json::value& node) {
    auto* schema = node.if_object();
    if (!schema) return;
    rewrite(*schema);
    for (auto& field : *schema) {
      const std::string_view keyword = field.key();
      json::value& value = field.value();
      if (holds_named_schemas(keyword) && value.is_object()) {
        for (auto& entry : value.get_object()) walk(entry.value());
      } else if (holds_schema_list(keyword) && value.is_array()) {
        for (auto& item : value.get_array()) walk(item);
      } else if (holds_one_schema(keyword)) {
        walk(value);
      }
    }
  }

  void rewrite(json::object& schema) {
    rename(schema, "pattern", kPatternKeyword);
    rename(schema, "format", kFormatKeyword);
    auto found = schema.find("patternProperties");
    if (found == schema.end() || !found->value().is_object()) return;
    json::object patterns = std::move(found->value().get_object());
    schema.erase(found);
    for (auto& [source, sub] : patterns) {
      const Pattern pattern = compile_pattern(source);
      const std::string name = fresh_name();
      json::object matched;
      for (const auto& key : keys_) {
        if (pattern.found_in(key)) matched[key] = json::object{{"$ref", "#/definitions/" + name}};
      }
      moved_.emplace_back(name, std::move(sub));
      if (matched.empty()) continue;
      json::value& properties = schema["properties"];
      if (properties.is_null()) properties = json::object();
      for (const auto& field : matched) properties.as_object().emplace(field.key(), true);
      json::value& all_of = schema["allOf"];
      if (all_of.is_null()) all_of = json::array();
      all_of.as_array().push_back(json::object{{"properties", std::move(matched)}});
    }
  }

  static void rename(json::object& schema, std::string_view from, std::string_view to) {
    auto found = schema.find(from);
    if (found == schema.end() || !found->value().is_string()) return;
    json::value value = std::move(found->value());
    schema.erase(found);
    schema[to] = std::move(value);
  }

  // A definitions name neither the plugin nor an earlier move uses.
  std::string fresh_name() {
    std::string name;
    do {
      name = kMovedPrefix + std::to_string(next_++);
    } while (taken_.count(name));
    return name;
  }

  std::set<std::string> keys_;
  std::set<std::string> taken_;  // the root's own definitions
  size_t next_ = 0;
  std::vector<std::pair<std::string, json::value>> moved_;
};

}  // namespace

void compile_schema(const json::value& schema, const json::value& config, valijson::Schema& out) {
  const json::value rewritten = Rewrite(config).run(schema);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  parser.addConstraintBuilder(kPatternKeyword, new PatternBuilder);  // the parser deletes its builders
  parser.addConstraintBuilder(kFormatKeyword, new FormatBuilder);
  valijson::adapters::BoostJsonAdapter adapter(rewritten);
  parser.populateSchema(adapter, out);
}

}  // namespace sluice::host::detail
