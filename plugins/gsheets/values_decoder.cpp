#include "values_decoder.hpp"
#include "serial_time.hpp"

#include <sluice/error.hpp>
#include <sluice/support/json_elements.hpp>

#include <charconv>
#include <cmath>

namespace gsheets {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse(const std::string& what, const std::string& why) {
  throw sluice::Error(sluice::ErrorKind::source, what + ": " + why);
}

// Shortest round-trip text; whole numbers below 1e17 in plain digits (3000000000, not 3e+09).
// A number past a double's range (1e400 parses as infinity) has no JSON
// spelling: it goes as the string "Infinity" or "-Infinity", which a numeric
// column keeps in _sluice_uncast (found by fuzz_gsheets_values: "inf" made
// the record invalid JSON).
void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += std::isnan(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  if (std::trunc(value) == value && std::fabs(value) < 1e17) {
    out += std::to_string(static_cast<int64_t>(value));
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

// A cell's JSON as sent: numbers in shortest round-trip form.
void append_raw(std::string& out, const json::value& cell) {
  if (cell.is_double()) {
    append_number(out, cell.get_double());
  } else if (cell.is_string()) {
    sluice::support::append_json_string(out, cell.get_string());
  } else {
    out += json::serialize(cell);
  }
}

bool is_empty(const json::value& cell) { return cell.is_null() || (cell.is_string() && cell.get_string().empty()); }

double number_of(const json::value& cell) {
  if (cell.is_int64()) return static_cast<double>(cell.get_int64());
  if (cell.is_uint64()) return static_cast<double>(cell.get_uint64());
  return cell.get_double();
}

}  // namespace

void append_cell(std::string& out, const json::value& cell, ColumnType type) {
  if (is_empty(cell)) {
    out += "null";
    return;
  }
  const bool number = cell.is_number();
  switch (type) {
    case ColumnType::string:
      if (number) {
        std::string text;
        append_raw(text, cell);
        sluice::support::append_json_string(out, text);
      } else if (cell.is_bool()) {
        out += cell.get_bool() ? "\"TRUE\"" : "\"FALSE\"";  // as the sheet shows it
      } else {
        append_raw(out, cell);
      }
      return;
    case ColumnType::date:
      if (number && append_serial_date(out, number_of(cell))) return;
      break;
    case ColumnType::date_time:
      if (number && append_serial_date_time(out, number_of(cell))) return;
      break;
    case ColumnType::time:
      if (number && append_serial_time(out, number_of(cell))) return;
      break;
    case ColumnType::number:
    case ColumnType::integer:
    case ColumnType::boolean:
      break;
  }
  // The value as sent: one the column's type does not hold lands in the
  // host's _sluice_uncast column, never silently changed.
  append_raw(out, cell);
}

void decode_value_range(std::string_view body, const std::vector<Column>& columns, int cursor_column,
                        int64_t first_row, size_t max_rows, const std::string& what, DecodedRows& out) {
  json::monotonic_resource memory;
  json::error_code ec;
  json::value parsed = json::parse(body, ec, &memory);
  if (ec) refuse(what, "the answer is not JSON (" + ec.message() + ")");
  const auto* root = parsed.if_object();
  const auto* ranges = root ? root->if_contains("valueRanges") : nullptr;
  if (!ranges || !ranges->is_array() || ranges->get_array().size() != 1 || !ranges->get_array()[0].is_object()) {
    refuse(what, "the answer does not hold exactly one valueRanges entry");
  }
  const auto& range = ranges->get_array()[0].get_object();
  if (const auto* major = range.if_contains("majorDimension"); major && *major != "ROWS") {
    refuse(what, "the answer is not in rows (majorDimension " + json::serialize(*major) + ")");
  }
  const auto* values = range.if_contains("values");
  if (!values) return;  // the whole range is empty
  if (!values->is_array()) refuse(what, "values is not an array");
  const auto& rows = values->get_array();
  if (rows.size() > max_rows) {
    refuse(what, "the answer holds " + std::to_string(rows.size()) + " rows, more than the " + std::to_string(max_rows) +
                     " asked for");
  }
  const size_t text_size = out.text.size();
  DecodedRows decoded;  // appended to `out` only once every row is valid
  decoded.text.reserve(body.size() + body.size() / 2);
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto* row = rows[r].if_array();
    if (!row) refuse(what, "row " + std::to_string(first_row + static_cast<int64_t>(r)) + " is not an array");
    bool any = false;
    for (const auto& cell : *row) {
      if (cell.is_object() || cell.is_array()) {
        refuse(what, "row " + std::to_string(first_row + static_cast<int64_t>(r)) + " holds a cell that is not a value");
      }
      any = any || !is_empty(cell);
    }
    if (!any) continue;
    static const json::value kNull;
    decoded.text.push_back('{');
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) decoded.text.push_back(',');
      sluice::support::append_json_string(decoded.text, columns[c].name);
      decoded.text.push_back(':');
      append_cell(decoded.text, c < row->size() ? (*row)[c] : kNull, columns[c].type);
    }
    decoded.text.push_back('}');
    decoded.ends.push_back(text_size + decoded.text.size());
    decoded.row_numbers.push_back(first_row + static_cast<int64_t>(r));
    if (cursor_column >= 0) {
      const auto c = static_cast<size_t>(cursor_column);
      std::string cell;
      append_cell(cell, c < row->size() ? (*row)[c] : kNull, columns[c].type);
      decoded.cursors.push_back(json::parse(cell));
    }
  }
  out.text += decoded.text;
  out.ends.insert(out.ends.end(), decoded.ends.begin(), decoded.ends.end());
  out.row_numbers.insert(out.row_numbers.end(), decoded.row_numbers.begin(), decoded.row_numbers.end());
  for (auto& cursor : decoded.cursors) out.cursors.push_back(std::move(cursor));
  out.range_rows += rows.size();
}

}  // namespace gsheets
