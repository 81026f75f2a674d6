// Small pieces of SQL and JSON Schema text both SQL connectors write the
// same way.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sql_common {

// The .name of each column, in order.
template <typename Column>
std::vector<std::string> column_names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  return names;
}

// " ORDER BY 3, 1": each of `order_by` by its 1-based position in
// `columns` (past the end, i.e. the extra copies selected after them, when
// it is not one), so copies of the same names selected later cannot make
// the names ambiguous.
std::string order_by_positions(const std::vector<std::string>& columns, const std::vector<std::string>& order_by);

// {"type": type} or {"type": [type, "null"]}, with "format" when given.
boost::json::object typed_schema(const char* type, bool not_null, const char* format = nullptr);

}  // namespace sql_common
