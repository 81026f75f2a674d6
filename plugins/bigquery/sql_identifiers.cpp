#include "sql_identifiers.hpp"

#include "sql_common/identifiers.hpp"
#include <sluice/sdk.hpp>

namespace bigquery {

namespace {

constexpr size_t kMaxIdentifierBytes = 1024;

bool quotable(std::string_view name) {
  if (name.empty() || name.size() > kMaxIdentifierBytes) return false;
  for (unsigned char c : name) {
    if (c == '`' || c == '\\' || c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string quote_identifier(std::string_view name, std::string_view what) {
  if (!quotable(name)) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "cannot quote " + std::string(what) + " name \"" + sql_common::printable(name) +
                            "\": it is empty, longer than 1024 bytes, or holds a backtick, backslash or control character");
  }
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('`');
  out.append(name);
  out.push_back('`');
  return out;
}

std::string quote_table_path(std::string_view project, std::string_view dataset, std::string_view table) {
  return quote_identifier(project, "project") + "." + quote_identifier(dataset, "dataset") + "." +
         quote_identifier(table, "table");
}

}  // namespace bigquery
