#include "identifiers.hpp"

#include <sluice/sdk.hpp>

namespace sql_common {

std::string printable(std::string_view name) {
  std::string out;
  for (unsigned char c : name.substr(0, 80)) out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  if (name.size() > 80) out += "...";
  return out;
}

std::string quote_identifier(std::string_view name, std::string_view what, QuoteRule rule) {
  bool quotable = !name.empty() && name.size() <= rule.max_bytes;
  for (unsigned char c : name) quotable = quotable && c >= 0x20 && c != 0x7f;
  if (!quotable) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "cannot quote " + std::string(what) + " name \"" + printable(name) + "\": it is empty, longer than " +
                            std::to_string(rule.max_bytes) + " bytes, or holds a control character");
  }
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back(rule.quote);
  for (char c : name) {
    if (c == rule.quote) out.push_back(c);
    out.push_back(c);
  }
  out.push_back(rule.quote);
  return out;
}

}  // namespace sql_common
