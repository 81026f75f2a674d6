// One row as the text of one JSON record, from the server's text form of
// each value (COPY's text format or a text-format result): the only place
// values are decided. A value its kind cannot hold as is (a timestamp in
// BC or at infinity, a NaN float) travels as its text, a string: the host
// then keeps it in _sluice_uncast rather than guessing.
#pragma once

#include "column_type.hpp"

#include "sql_common/record_layout.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postgres {

class RecordText {
 public:
  explicit RecordText(const std::vector<Column>& columns);

  // Appends {"name":value,...} for one row; `values[i]` is column i's text,
  // nullopt for SQL NULL.
  void append(std::string& out, const std::vector<std::optional<std::string_view>>& values) const;

  // Appends one value of `column` as JSON.
  static void append_value(std::string& out, const Column& column, std::string_view text);

 private:
  const std::vector<Column>& columns_;
  sql_common::RecordLayout layout_;
};

// Splits one line of COPY's text format into its fields, undoing its
// escapes (\t, \n, \\, octal, \x..) into `storage`; \N is NULL. Returns false
// when the line does not have `expected` fields.
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
bool split_copy_line(std::string_view line, size_t expected, std::vector<std::optional<std::string_view>>& fields,
                     std::vector<std::string>& storage);

}  // namespace postgres
