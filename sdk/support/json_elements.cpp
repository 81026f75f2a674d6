#include <sluice/support/json_elements.hpp>

#include "json_validation.hpp"

#include <sluice/error.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <string>

namespace sluice::support {

namespace {

// Walks a text already validated as one JSON document: only strings and
// nesting need tracking to find where a value ends.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  char peek() {
    skip_whitespace();
    return at_ < text_.size() ? text_[at_] : '\0';
  }
  // Passes the blanks and then `c`, the character peek() returned.
  void skip(char /*c*/) {
    skip_whitespace();
    ++at_;
  }

  // The value starting at the next non-blank character.
  std::string_view value() {
    skip_whitespace();
    const size_t start = at_;
    const char c = text_[at_];
    if (c == '"') {
      skip_string();
    } else if (c == '{' || c == '[') {
      for (int depth = 0;;) {
        const char d = text_[at_];
        if (d == '"') {
          skip_string();
          continue;
        }
        ++at_;
        if (d == '{' || d == '[') ++depth;
        if ((d == '}' || d == ']') && --depth == 0) break;
      }
    } else {
      at_ = std::min(text_.find_first_of(",]} \t\r\n", at_), text_.size());  // a number or literal
    }
    return text_.substr(start, at_ - start);
  }

 private:
  void skip_whitespace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r' || text_[at_] == '\n')) {
      ++at_;
    }
  }
  void skip_string() {
    for (++at_; text_[at_] != '"'; ++at_) {
      if (text_[at_] == '\\') ++at_;
    }
    ++at_;
  }

  std::string_view text_;
  size_t at_ = 0;
};

void validate(std::string_view body) {
  if (auto error = detail::json_syntax_error(body)) {
    throw Error(ErrorKind::source, "the response is not valid JSON (" + *error + ")");
  }
}

// A member name as JSON text ("users", "us\u0065rs") equals `key`.
bool names(std::string_view name_json, std::string_view key) {
  if (name_json.find('\\') == std::string_view::npos) return name_json.substr(1, name_json.size() - 2) == key;
  return boost::json::parse(name_json).as_string() == key;
}

// In a validated body: the top-level member named `key`, the last one if
// the name repeats (as boost::json::parse keeps it).
std::optional<std::string_view> find_member(std::string_view body, std::string_view key) {
  Scanner scan(body);
  if (scan.peek() != '{') return std::nullopt;
  scan.skip('{');
  std::optional<std::string_view> found;
  while (scan.peek() == '"') {
    const std::string_view name = scan.value();
    scan.skip(':');
    const std::string_view value = scan.value();
    if (names(name, key)) found = value;
    if (scan.peek() == ',') scan.skip(',');
  }
  return found;
}

}  // namespace

size_t for_each_element(std::string_view body, std::string_view array_key,
                        const std::function<void(std::string_view element_json)>& fn) {
  validate(body);
  const std::optional<std::string_view> array = array_key.empty() ? body : find_member(body, array_key);
  Scanner scan(array.value_or(""));
  if (scan.peek() != '[') {
    throw Error(ErrorKind::source, array_key.empty() ? std::string("the response is not a JSON array")
                                                     : "the response has no \"" + std::string(array_key) + "\" array");
  }
  scan.skip('[');
  size_t count = 0;
  std::string one_line;  // a pretty-printed element, its line breaks made spaces
  while (scan.peek() != ']') {
    std::string_view element = scan.value();
    // Valid JSON has line breaks only between tokens (never raw in a string),
    // so spaces keep it the same JSON, and one line fits an NDJSON batch.
    if (element.find_first_of("\r\n") != std::string_view::npos) {
      one_line.assign(element);
      std::replace_if(one_line.begin(), one_line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
      element = one_line;
    }
    fn(element);
    ++count;
    if (scan.peek() == ',') scan.skip(',');
  }
  return count;
}

std::optional<std::string_view> member_json(std::string_view body, std::string_view key) {
  validate(body);
  return find_member(body, key);
}

}  // namespace sluice::support
