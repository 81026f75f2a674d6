// The frame of one record's JSON text: each column's key written once, the
// values by the connector's own rule, SQL NULL as null.
#pragma once

#include <sluice/support/json_elements.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

class RecordLayout {
 public:
  explicit RecordLayout(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      std::string key = i ? "," : "{";
      sluice::support::append_json_string(key, names[i]);
      key += ':';
      keys_.push_back(std::move(key));
    }
  }

  // Appends {"name":value,...}: value(out, i, text) writes column i's
  // value and returns false when it was not exact; the result is false when
  // any value was not.
  template <typename Value>
  bool append(std::string& out, const std::vector<std::optional<std::string_view>>& values, Value&& value) const {
    if (keys_.empty()) {
      out += "{}";
      return true;
    }
    bool exact = true;
    for (size_t i = 0; i < keys_.size(); ++i) {
      out += keys_[i];
      if (i < values.size() && values[i]) {
        exact = value(out, i, *values[i]) && exact;
      } else {
        out += "null";
      }
    }
    out += '}';
    return exact;
  }

 private:
  std::vector<std::string> keys_;  // "{\"a\":" then ",\"b\":" ...
};

}  // namespace sql_common
