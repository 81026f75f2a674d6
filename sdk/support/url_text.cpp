#include <sluice/support/http_client.hpp>

namespace sluice::support {

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form_encode(const Headers& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

std::string url_for_messages(std::string_view url) {
  const auto cut = url.find_first_of("?#");
  return std::string(url.substr(0, cut));
}

}  // namespace sluice::support
