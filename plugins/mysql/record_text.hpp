// One row as the text of one JSON record, from the server's text form of
// each value (the text protocol, or prepared-statement results cast to
// CHAR): the only place values are decided.
#pragma once

#include "column_type.hpp"

#include "sql_common/record_layout.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysql_source {

class RecordText {
 public:
  explicit RecordText(const std::vector<Column>& columns);

  // Appends {"name":value,...}; `values[i]` is column i's text, nullopt for
  // NULL. Returns false when a value is a zero date (written as its text).
  bool append(std::string& out, const std::vector<std::optional<std::string_view>>& values) const;

  // Appends one value as JSON; false for a zero date ('0000-00-00...' or a
  // zero month or day), which is written as its text.
  static bool append_value(std::string& out, const Column& column, std::string_view text);

 private:
  const std::vector<Column>& columns_;
  sql_common::RecordLayout layout_;
};

}  // namespace mysql_source
