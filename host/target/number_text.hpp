// Numbers as SQL and bulk-load text: the shortest form that reads back to
// the same value (std::to_chars), with no locale and no allocation.
#pragma once

#include <charconv>
#include <string>

namespace sluice::host {

template <typename Number>
void append_number(std::string& out, Number value) {
  char text[40];
  auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

}  // namespace sluice::host
