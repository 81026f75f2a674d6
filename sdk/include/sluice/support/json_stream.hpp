// Streaming extraction of the elements of one JSON array from a response
// that arrives in chunks: `{"users": [ {...}, {...} ], "total": 5}` with
// array "users", or a top-level `[ ... ]` with array "". Each element is
// parsed with Boost.JSON on its own and handed on in batches, so memory is
// bounded by one batch whatever the size of the response. Everything outside
// the array is ignored.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::support {

class JsonArrayStream {
 public:
  using BatchHandler = std::function<void(std::vector<boost::json::value>& batch)>;

  // `array_key`: the top-level member holding the array ("" for a top-level
  // array). `on_batch` receives up to `batch_size` elements at a time.
  JsonArrayStream(std::string array_key, size_t batch_size, BatchHandler on_batch);

  // Feeds the next bytes of the document. Throws sluice::Error(source) on
  // malformed JSON inside the array.
  void write(std::string_view chunk);
  // Ends the document: delivers the last batch. Throws sluice::Error(source)
  // when the document ended inside the array (a truncated response).
  void finish();

  size_t elements() const { return elements_; }
  bool found_array() const { return state_ != State::before_array; }

 private:
  enum class State { before_array, in_array, after_array };
  void take(char c);
  void end_element();

  std::string key_;
  size_t batch_size_;
  BatchHandler on_batch_;
  std::vector<boost::json::value> batch_;
  State state_ = State::before_array;
  int depth_ = 0;            // nesting depth of the scanner
  int array_depth_ = 0;      // depth inside the target array
  bool in_string_ = false, escaped_ = false;
  std::string string_;       // the current string at depth 1 (candidate key)
  std::string last_key_;     // the last completed string at depth 1
  bool key_complete_ = false;// last_key_ was followed by ':'
  std::string element_;      // bytes of the current element
  size_t elements_ = 0;
};

}  // namespace sluice::support
