// Which tables of a database a connection reads: include and exclude
// patterns on "schema.table", '*' any run of characters and '?' one byte,
// matched case-sensitively against the names as the catalog stores them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

struct TableFilter {
  std::vector<std::string> include;  // empty: every table
  std::vector<std::string> exclude;  // wins over include

  bool accepts(std::string_view schema, std::string_view table) const;
};

// Glob match of the whole `text`: '*' any run (also empty), '?' one byte.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace sql_common
