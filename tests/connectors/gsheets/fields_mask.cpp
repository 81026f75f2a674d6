#include "fields_mask.hpp"

namespace gsheets_fake {

namespace {

struct Parser {
  const std::string& text;
  size_t at = 0;

  bool name(std::string& out) {
    const size_t start = at;
    while (at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_' || text[at] == '*')) ++at;
    out = text.substr(start, at - start);
    return !out.empty();
  }

  // list := item (',' item)*; item := name (('.'|'/') name)* ['(' list ')']
  bool list(FieldMask& into) {
    do {
      FieldMask* node = &into;
      std::string part;
      if (!name(part)) return false;
      node = &node->members[part];
      while (at < text.size() && (text[at] == '.' || text[at] == '/')) {
        ++at;
        if (!name(part)) return false;
        node = &node->members[part];
      }
      if (at < text.size() && text[at] == '(') {
        ++at;
        if (!list(*node) || at >= text.size() || text[at] != ')') return false;
        ++at;
      }
    } while (at < text.size() && text[at] == ',' && ++at);
    return true;
  }
};

}  // namespace

std::optional<FieldMask> parse_field_mask(const std::string& text) {
  FieldMask mask;
  Parser parser{text};
  if (!parser.list(mask) || parser.at != text.size()) return std::nullopt;
  return mask;
}

boost::json::value apply_field_mask(const boost::json::value& value, const FieldMask& mask) {
  if (mask.members.empty()) return value;
  if (const auto* array = value.if_array()) {
    boost::json::array out;
    for (const auto& element : *array) out.push_back(apply_field_mask(element, mask));
    return out;
  }
  const auto* object = value.if_object();
  if (!object) return value;
  if (mask.members.contains("*")) return value;
  boost::json::object out;
  for (const auto& [name, sub] : mask.members) {
    if (const auto* member = object->if_contains(name)) out[name] = apply_field_mask(*member, sub);
  }
  return out;
}

}  // namespace gsheets_fake
