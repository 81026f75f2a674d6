#include "row_decoder.hpp"

#include "sql_common/value_text.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/json_elements.hpp>
#include <sluice/support/timestamp.hpp>

#include <charconv>

namespace databricks {

void bad_cell(const Column& column, std::string_view cell) {
  throw sluice::Error(sluice::ErrorKind::source, "column " + column.name + " (" + column.type_text +
                                                     ") has a value that is not one: \"" +
                                                     std::string(cell.substr(0, 60)) + "\"");
}

namespace {

using sluice::support::append_json_string;
using sql_common::all_digits;
using sql_common::is_finite;
using sql_common::is_json_number;

// A BIGINT's text: [-]digits within int64.
bool is_integer(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && (text.size() == 1 || text[0] != '0') &&
         !(text.size() > 1 && text[0] == '-' && text[1] == '0');
}

// A DECIMAL as plain digits: [-]digits[.digits], or the same with an
// exponent (Java's BigDecimal writes 0E-18) written out exactly.
bool append_decimal(std::string& out, std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  int64_t exponent = 0;
  if (const auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    std::string_view power = text.substr(e + 1);
    if (!power.empty() && power.front() == '+') power.remove_prefix(1);
    auto [end, ec] = std::from_chars(power.data(), power.data() + power.size(), exponent);
    if (ec != std::errc() || end != power.data() + power.size() || exponent > 100 || exponent < -100) return false;
    text = text.substr(0, e);
  }
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction))) return false;
  std::string digits = std::string(whole) + std::string(fraction);
  int64_t scale = static_cast<int64_t>(fraction.size()) - exponent;  // value = digits * 10^-scale
  if (scale < 0) {
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  if (static_cast<int64_t>(digits.size()) <= scale) digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
  std::string plain = digits.substr(0, digits.size() - static_cast<size_t>(scale));
  const size_t zeros = plain.find_first_not_of('0');
  plain = zeros == std::string::npos ? "0" : plain.substr(zeros);
  if (scale > 0) plain += "." + digits.substr(digits.size() - static_cast<size_t>(scale));
  const bool zero = plain.find_first_not_of("0.") == std::string::npos;
  out.push_back('"');
  if (negative && !zero) out.push_back('-');
  out += plain;
  out.push_back('"');
  return true;
}

bool is_base64(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=' && i + 2 >= text.size()) {
      ++padding;
    } else if (!letter || padding) {
      return false;
    }
  }
  return true;
}

bool has_zone(std::string_view text) {
  if (text.size() < 19) return false;
  const std::string_view clock = text.substr(19);
  return clock.find_first_of("Zz+-") != std::string_view::npos;
}

void append_value(std::string& out, std::string_view cell, const Column& column) {
  switch (column.kind) {
    case Kind::integer:
      if (!is_integer(cell)) bad_cell(column, cell);
      out += cell;
      return;
    case Kind::decimal:
      if (!append_decimal(out, cell)) bad_cell(column, cell);
      return;
    case Kind::floating:
      // NaN and ±Infinity have no JSON number: they stay strings.
      if (is_json_number(cell) && is_finite(cell)) {
        out += cell;
      } else if (cell == "NaN" || cell == "Infinity" || cell == "-Infinity") {
        append_json_string(out, cell);
      } else {
        bad_cell(column, cell);
      }
      return;
    case Kind::boolean:
      if (cell == "true" || cell == "false") {
        out += cell;
      } else {
        bad_cell(column, cell);
      }
      return;
    case Kind::date:
      if (cell.size() != 10 || !sluice::support::parse_date(cell)) bad_cell(column, cell);
      out.push_back('"');
      out += cell;
      out.push_back('"');
      return;
    case Kind::timestamp: {
      // ISO 8601 with a zone (Z); shown in UTC with microseconds.
      const auto t = sluice::support::parse_rfc3339(cell);
      if (!t) bad_cell(column, cell);
      out.push_back('"');
      sluice::support::append_rfc3339(out, *t, 6);
      out.push_back('"');
      return;
    }
    case Kind::timestamp_ntz: {
      // A civil time: no zone may come with it, none is added.
      const auto t = has_zone(cell) ? std::nullopt : sluice::support::parse_rfc3339(cell);
      if (!t) bad_cell(column, cell);
      out.push_back('"');
      sluice::support::append_rfc3339(out, *t, 6);
      out.back() = '"';  // the 'Z' the formatter wrote
      return;
    }
    case Kind::binary:
      if (!is_base64(cell)) bad_cell(column, cell);
      out.push_back('"');
      out += cell;
      out.push_back('"');
      return;
    case Kind::json: {
      // JSON text, possibly pretty-printed: one line, numbers as written.
      json::error_code ec;
      json::parse(cell, ec);
      if (ec) {
        append_json_string(out, cell);
      } else {
        sql_common::append_compact_json(out, cell);
      }
      return;
    }
    case Kind::null: bad_cell(column, cell);
    case Kind::string:
    case Kind::interval:
    case Kind::unknown: append_json_string(out, cell); return;
  }
}

}  // namespace

void append_cell_value(std::string& out, std::optional<std::string_view> cell, const Column& column) {
  if (cell) append_value(out, *cell, column);
  else out += "null";
}

void row_shape_error(size_t columns) {
  throw sluice::Error(sluice::ErrorKind::source,
                      "a result row does not have the " + std::to_string(columns) + " cells of its schema");
}

namespace {

std::vector<std::string> column_names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& column : columns) names.push_back(column.name);
  return names;
}

}  // namespace

RowFormat::RowFormat(const std::vector<Column>& columns, sql_common::RowShape shape)
    : sql_common::RowFormat(column_names(columns), shape), columns_(columns) {}

void RowFormat::append_cell(std::string& out, std::optional<std::string_view> cell, size_t column) const {
  append_cell_value(out, cell, columns_[column]);
}
void RowFormat::refuse_cell(size_t column, std::string_view json) const { bad_cell(columns_[column], json); }
void RowFormat::refuse_row() const { row_shape_error(columns_.size()); }

void decode_rows(const json::array& data, const std::vector<Column>& columns, DecodedRows& out,
                 sql_common::RowShape shape) {
  sql_common::decode_row_array(data, RowFormat(columns, shape), out);
}

sql_common::RowBatch decode_chunk(std::string_view body, const std::vector<Column>& columns, const std::string& what,
                                  sql_common::RowShape shape) {
  return sql_common::decode_rows_text(body, RowFormat(columns, shape), "", what);
}

std::string decode_cell(const json::value& cell, const Column& column) {
  std::string out;
  if (cell.is_null()) {
    out = "null";
  } else if (const auto* text = cell.if_string()) {
    append_value(out, *text, column);
  } else {
    bad_cell(column, json::serialize(cell));
  }
  return out;
}

std::optional<std::string> cell_text(std::optional<std::string_view> cell, const Column& column) {
  if (!cell) return std::nullopt;
  std::string text;
  append_value(text, *cell, column);
  if (text.size() >= 2 && text.front() == '"') {
    json::value parsed = json::parse(text);
    return std::string(parsed.get_string());
  }
  return text;
}

}  // namespace databricks
