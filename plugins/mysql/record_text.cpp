#include "record_text.hpp"

#include "sql_common/sql_text.hpp"
#include "sql_common/value_text.hpp"

#include <sluice/support/json_elements.hpp>

namespace mysql_source {

namespace {

void append_string(std::string& out, std::string_view text) { sluice::support::append_json_string(out, text); }

bool digits(std::string_view text, size_t from, size_t count) {
  if (from + count > text.size()) return false;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// "YYYY-MM-DD": a zero date or one with a zero month or day, which MySQL
// stores when NO_ZERO_DATE / NO_ZERO_IN_DATE are off.
bool zero_date(std::string_view text) {
  return text.size() >= 10 && (text.substr(0, 4) == "0000" || text.substr(5, 2) == "00" || text.substr(8, 2) == "00");
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]" exactly.
bool iso_datetime(std::string_view text) {
  if (!(text.size() >= 19 && digits(text, 0, 4) && text[4] == '-' && digits(text, 5, 2) && text[7] == '-' &&
        digits(text, 8, 2) && text[10] == ' ' && digits(text, 11, 2) && text[13] == ':' && digits(text, 14, 2) &&
        text[16] == ':' && digits(text, 17, 2))) {
    return false;
  }
  return text.size() == 19 || (text[19] == '.' && text.size() > 20 && digits(text, 20, text.size() - 20));
}

}  // namespace

RecordText::RecordText(const std::vector<Column>& columns) : columns_(columns), layout_(sql_common::column_names(columns)) {}

bool RecordText::append(std::string& out, const std::vector<std::optional<std::string_view>>& values) const {
  return layout_.append(out, values, [&](std::string& text, size_t i, std::string_view value) {
    return append_value(text, columns_[i], value);
  });
}

bool RecordText::append_value(std::string& out, const Column& column, std::string_view text) {
  switch (column.kind) {
    case Kind::integer:
    case Kind::bits:
    case Kind::number: out += text; return true;
    case Kind::date:
      append_string(out, text);
      return !zero_date(text);
    case Kind::datetime:
    case Kind::timestamp: {
      if (zero_date(text) || !iso_datetime(text)) {
        append_string(out, text);
        return !zero_date(text);
      }
      out += '"';
      out.append(text.data(), 10);
      out += 'T';
      out.append(text.data() + 11, text.size() - 11);
      out += column.kind == Kind::timestamp ? "Z\"" : "\"";
      return true;
    }
    case Kind::json: sql_common::append_compact_json(out, text); return true;
    case Kind::binary:
      out += '"';
      sql_common::append_base64(out, text);
      out += '"';
      return true;
    case Kind::decimal:
    case Kind::time:
    case Kind::text: append_string(out, text); return true;
  }
  return true;
}

}  // namespace mysql_source
