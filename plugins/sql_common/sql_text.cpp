#include "sql_common/sql_text.hpp"

#include <algorithm>

namespace sql_common {

std::string order_by_positions(const std::vector<std::string>& columns, const std::vector<std::string>& order_by) {
  std::string sql;
  for (size_t i = 0; i < order_by.size(); ++i) {
    const auto found = std::find(columns.begin(), columns.end(), order_by[i]);
    const size_t position = found == columns.end() ? columns.size() + i : static_cast<size_t>(found - columns.begin());
    sql += (i ? ", " : " ORDER BY ") + std::to_string(position + 1);
  }
  return sql;
}

boost::json::object typed_schema(const char* type, bool not_null, const char* format) {
  boost::json::object schema;
  if (not_null) {
    schema["type"] = type;
  } else {
    schema["type"] = boost::json::array{type, "null"};
  }
  if (format) schema["format"] = format;
  return schema;
}

}  // namespace sql_common
