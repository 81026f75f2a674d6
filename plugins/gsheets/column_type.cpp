#include "column_type.hpp"

#include <cmath>

namespace gsheets {

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::string: return "string";
    case ColumnType::number: return "number";
    case ColumnType::integer: return "integer";
    case ColumnType::boolean: return "boolean";
    case ColumnType::date: return "date";
    case ColumnType::time: return "time";
    case ColumnType::date_time: return "date-time";
  }
  return "string";
}

std::optional<ColumnType> parse_column_type(std::string_view text) {
  for (ColumnType type : {ColumnType::string, ColumnType::number, ColumnType::integer, ColumnType::boolean,
                          ColumnType::date, ColumnType::time, ColumnType::date_time}) {
    if (text == to_string(type)) return type;
  }
  return std::nullopt;
}

namespace {

// The kind of value a number cell is, by its format; integer is decided later.
ColumnType number_kind(const std::string& format) {
  if (format == "DATE") return ColumnType::date;
  if (format == "DATE_TIME") return ColumnType::date_time;
  if (format == "TIME") return ColumnType::time;
  return ColumnType::number;
}

}  // namespace

void TypeVote::add(const SampleCell& cell) {
  ColumnType kind;
  switch (cell.kind) {
    case SampleCell::Kind::empty: return;
    case SampleCell::Kind::string: kind = ColumnType::string; break;
    case SampleCell::Kind::boolean: kind = ColumnType::boolean; break;
    case SampleCell::Kind::number:
      kind = number_kind(cell.format);
      if (kind == ColumnType::number) {
        all_whole_ = all_whole_ && std::isfinite(cell.number) && std::trunc(cell.number) == cell.number &&
                     std::fabs(cell.number) < 9007199254740992.0;  // 2^53: exact in a double
        fractional_format_ = fractional_format_ || cell.format == "PERCENT" || cell.format == "CURRENCY";
      }
      break;
    default: return;
  }
  if (any_ && kind != seen_) mixed_ = true;
  any_ = true;
  seen_ = kind;
}

ColumnType TypeVote::result() const {
  if (!any_ || mixed_) return ColumnType::string;
  if (seen_ == ColumnType::number && all_whole_ && !fractional_format_) return ColumnType::integer;
  return seen_;
}

boost::json::object json_schema(ColumnType type) {
  switch (type) {
    case ColumnType::number: return {{"type", boost::json::array{"number", "null"}}};
    case ColumnType::integer: return {{"type", boost::json::array{"integer", "null"}}};
    case ColumnType::boolean: return {{"type", boost::json::array{"boolean", "null"}}};
    case ColumnType::date: return {{"type", boost::json::array{"string", "null"}}, {"format", "date"}};
    case ColumnType::date_time: return {{"type", boost::json::array{"string", "null"}}, {"format", "date-time"}};
    case ColumnType::time: return {{"type", boost::json::array{"string", "null"}}, {"format", "time"}};
    case ColumnType::string: break;
  }
  return {{"type", boost::json::array{"string", "null"}}};
}

}  // namespace gsheets
