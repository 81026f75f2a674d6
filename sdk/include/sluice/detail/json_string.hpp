// sluice/detail/json_string.hpp -- the body of support::append_json_string
// (declared for authors in <sluice/support/json_elements.hpp>). Header-only so
// the host's record mapper and every connector that writes record text share
// the one escaper without linking the support library.
#ifndef SLUICE_DETAIL_JSON_STRING_HPP_
#define SLUICE_DETAIL_JSON_STRING_HPP_

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::support {

// Appends `text` (UTF-8) as a JSON string: quotes, backslashes and control
// characters escaped as Boost.JSON escapes them (\u001f for 0x1f), the rest
// copied in runs.
inline void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

}  // namespace sluice::support

#endif  // SLUICE_DETAIL_JSON_STRING_HPP_
