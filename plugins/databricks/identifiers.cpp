#include "identifiers.hpp"

#include <sluice/sdk.hpp>

namespace databricks {

namespace {

constexpr size_t kMaxIdentifierBytes = 255;

// The name for an error message: control characters shown as '?', cut short.
std::string printable(std::string_view name) {
  std::string out;
  for (unsigned char c : name.substr(0, 80)) out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  if (name.size() > 80) out += "...";
  return out;
}

}  // namespace

std::string quote_identifier(std::string_view name, std::string_view what) {
  bool quotable = !name.empty() && name.size() <= kMaxIdentifierBytes;
  for (unsigned char c : name) quotable = quotable && c >= 0x20 && c != 0x7f;
  if (!quotable) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "cannot quote " + std::string(what) + " name \"" + printable(name) +
                            "\": it is empty, longer than 255 bytes, or holds a control character");
  }
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('`');
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

std::string quote_table(std::string_view schema, std::string_view table) {
  return quote_identifier(schema, "schema") + "." + quote_identifier(table, "table");
}

}  // namespace databricks
