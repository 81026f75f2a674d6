#include "host/config/yaml_document.hpp"

#include "host/config/config_error.hpp"
#include "host/config/connection_limits.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <set>
#include <string>

namespace sluice::host {

namespace json = boost::json;

namespace {

// boost::json's default parse depth, which bounds a JSON connection file.
constexpr int kMaxDepth = 32;

std::string where(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

class Converter {
 public:
  explicit Converter(std::string_view file) : file_(file) {}

  json::value convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) fail(node, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    count(node, 8);
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: return nullptr;
      case YAML::NodeType::Scalar: return scalar(node);
      case YAML::NodeType::Sequence: {
        refuse_tag(node, "?");
        json::array out;
        for (const auto& item : node) out.push_back(convert(item, depth + 1));
        return out;
      }
      case YAML::NodeType::Map: {
        refuse_tag(node, "?");
        json::object out;
        std::set<std::string> seen;
        for (const auto& pair : node) {
          const std::string key = key_text(pair.first);
          if (!seen.insert(key).second) fail(pair.first, "duplicate key \"" + key + "\"");
          count(pair.first, key.size());
          out[key] = convert(pair.second, depth + 1);
        }
        return out;
      }
    }
    return nullptr;
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& why) const {
    throw ConfigError(file_ + ": " + where(node.Mark()) + ": " + why);
  }

  // Aliases share nodes, so a small file can stand for a huge document
  // ("billion laughs"): what it expands to is bounded like a JSON file.
  void count(const YAML::Node& node, size_t bytes) {
    expanded_ += bytes;
    if (expanded_ > kMaxConnectionFileBytes) {
      fail(node, "the document expands (through aliases) past the limit of " + size_text(kMaxConnectionFileBytes));
    }
  }

  // "?": untagged plain; "!": untagged quoted. Anything else was written.
  void refuse_tag(const YAML::Node& node, const std::string& untagged) const {
    const std::string& tag = node.Tag();
    if (tag != untagged && !(untagged == "?" && tag.empty())) {
      fail(node, "tag " + tag + " has no JSON meaning; remove it (quote the value to make it a string)");
    }
  }

  std::string key_text(const YAML::Node& key) {
    if (!key.IsScalar()) fail(key, "keys must be strings (this one is a " + std::string(key.IsMap() ? "map" : key.IsSequence() ? "list" : "null") + ")");
    if (key.Tag() == "!") return key.Scalar();
    refuse_tag(key, "?");
    if (!scalar(key).is_string()) fail(key, "keys must be strings; quote \"" + key.Scalar() + "\" to make it one");
    return key.Scalar();
  }

  json::value scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    count(node, text.size());
    if (text.size() > kMaxStringBytes) fail(node, "string longer than the limit of " + size_text(kMaxStringBytes));
    if (node.Tag() == "!") return json::string(text);  // quoted or block: always a string
    refuse_tag(node, "?");
    // YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    const char* begin = text.data();
    const char* end = begin + text.size();
    const char* digits = begin + (text[0] == '+' ? 1 : 0);
    int64_t signed_value = 0;
    if (auto r = std::from_chars(digits, end, signed_value); r.ec == std::errc() && r.ptr == end && digits != end) {
      return signed_value;
    }
    uint64_t unsigned_value = 0;
    if (auto r = std::from_chars(digits, end, unsigned_value); r.ec == std::errc() && r.ptr == end && digits != end) {
      return unsigned_value;
    }
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
      if (auto r = std::from_chars(begin + 2, end, unsigned_value, text[1] == 'x' ? 16 : 8);
          r.ec == std::errc() && r.ptr == end) {
        return unsigned_value;
      }
    }
    const std::string lower = [&] {
      std::string out = text;
      for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    }();
    if (lower == ".inf" || lower == "+.inf" || lower == "-.inf" || lower == ".nan") {
      fail(node, text + " has no JSON meaning; quote it to make it a string");
    }
    bool number_chars = text.find_first_not_of("0123456789+-.eE") == std::string::npos &&
                        text.find_first_of("0123456789") != std::string::npos;
    double real = 0;
    if (auto r = std::from_chars(digits, end, real); number_chars && r.ec == std::errc() && r.ptr == end) {
      return real;
    }
    return json::string(text);
  }

  std::string file_;
  size_t expanded_ = 0;
};

}  // namespace

bool is_yaml_file_name(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  return ends_with(".yaml") || ends_with(".yml");
}

json::value yaml_to_json(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ConfigError(file + ": not valid YAML at " + where(e.mark) + ": " + e.msg);
  }
  if (documents.size() > 1) {
    throw ConfigError(file + ": " + where(documents[1].Mark()) +
                      ": a second YAML document; a connection file holds one");
  }
  if (documents.empty()) return nullptr;
  return Converter(file).convert(documents.front(), 1);
}

}  // namespace sluice::host
