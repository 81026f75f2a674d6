#include <sluice/support/json_stream.hpp>

#include <sluice/connector.hpp>

namespace sluice::support {

namespace json = boost::json;

JsonArrayStream::JsonArrayStream(std::string array_key, size_t batch_size, BatchHandler on_batch)
    : key_(std::move(array_key)), batch_size_(batch_size == 0 ? 1 : batch_size), on_batch_(std::move(on_batch)) {}

void JsonArrayStream::write(std::string_view chunk) {
  for (char c : chunk) take(c);
}

void JsonArrayStream::end_element() {
  const auto first = element_.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    element_.clear();
    return;  // "[]" or a trailing separator
  }
  json::error_code ec;
  json::value value = json::parse(element_, ec);
  if (ec) throw Error(ErrorKind::source, "response array \"" + key_ + "\": element " + std::to_string(elements_) +
                                             " is not valid JSON (" + ec.message() + ")");
  element_.clear();
  batch_.push_back(std::move(value));
  ++elements_;
  if (batch_.size() >= batch_size_) {
    on_batch_(batch_);
    batch_.clear();
  }
}

// A scanner that tracks strings and nesting only; Boost.JSON parses each
// element once its bytes are complete.
void JsonArrayStream::take(char c) {
  const bool inside = state_ == State::in_array && depth_ >= array_depth_;
  if (in_string_) {
    if (inside) element_ += c;
    if (escaped_) {
      escaped_ = false;
      if (depth_ == 1 && state_ == State::before_array) string_ += c;
    } else if (c == '\\') {
      escaped_ = true;
      if (depth_ == 1 && state_ == State::before_array) string_ += c;
    } else if (c == '"') {
      in_string_ = false;
      if (depth_ == 1 && state_ == State::before_array) {
        last_key_ = string_;
        key_complete_ = false;
      }
    } else if (depth_ == 1 && state_ == State::before_array && string_.size() < 1024) {
      string_ += c;
    }
    return;
  }
  switch (c) {
    case '"':
      in_string_ = true;
      string_.clear();
      if (inside) element_ += c;
      return;
    case ':':
      if (depth_ == 1) key_complete_ = true;
      if (inside) element_ += c;
      return;
    case '[':
    case '{': {
      const bool opens_target = state_ == State::before_array && c == '[' &&
                                ((key_.empty() && depth_ == 0) || (depth_ == 1 && key_complete_ && last_key_ == key_));
      ++depth_;
      if (opens_target) {
        state_ = State::in_array;
        array_depth_ = depth_;
        return;
      }
      if (state_ == State::in_array && depth_ > array_depth_) element_ += c;
      return;
    }
    case ']':
    case '}':
      if (state_ == State::in_array && depth_ == array_depth_) {
        end_element();
        state_ = State::after_array;
        --depth_;
        if (!batch_.empty()) {
          on_batch_(batch_);
          batch_.clear();
        }
        return;
      }
      if (inside) element_ += c;
      --depth_;
      if (depth_ == 1) key_complete_ = false;
      return;
    case ',':
      if (state_ == State::in_array && depth_ == array_depth_) {
        end_element();
        return;
      }
      if (depth_ == 1) key_complete_ = false;
      if (inside) element_ += c;
      return;
    default:
      if (inside) element_ += c;
  }
}

void JsonArrayStream::finish() {
  if (state_ == State::in_array) {
    throw Error(ErrorKind::transient, "response array \"" + key_ + "\" ended before its closing bracket (truncated response)");
  }
  if (!batch_.empty()) {
    on_batch_(batch_);
    batch_.clear();
  }
}

}  // namespace sluice::support
