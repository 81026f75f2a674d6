#include "record_text.hpp"

#include "sql_common/sql_text.hpp"
#include "sql_common/value_text.hpp"

#include <sluice/support/json_elements.hpp>

#include <cctype>

namespace postgres {

namespace {

bool digits(std::string_view text, size_t from, size_t count) {
  if (from + count > text.size()) return false;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]": the ISO DateStyle's form of a timestamp
// in years 0001-9999 (length of the part before any zone).
size_t iso_datetime_length(std::string_view text) {
  if (!(digits(text, 0, 4) && text.size() >= 19 && text[4] == '-' && digits(text, 5, 2) && text[7] == '-' &&
        digits(text, 8, 2) && text[10] == ' ' && digits(text, 11, 2) && text[13] == ':' && digits(text, 14, 2) &&
        text[16] == ':' && digits(text, 17, 2))) {
    return 0;
  }
  size_t end = 19;
  if (end < text.size() && text[end] == '.') {
    ++end;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  }
  return end;
}

// Text-like values: UTF-8 from the server, but a SQL_ASCII database passes
// any byte through (sql_common::append_text).
void append_string(std::string& out, std::string_view text) { sql_common::append_text(out, text); }

}  // namespace

RecordText::RecordText(const std::vector<Column>& columns) : columns_(columns), layout_(sql_common::column_names(columns)) {}

void RecordText::append(std::string& out, const std::vector<std::optional<std::string_view>>& values) const {
  layout_.append(out, values, [&](std::string& text, size_t i, std::string_view value) {
    append_value(text, columns_[i], value);
    return true;
  });
}

void RecordText::append_value(std::string& out, const Column& column, std::string_view text) {
  switch (column.kind) {
    case Kind::integer: out += text; return;
    case Kind::number:
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        append_string(out, text);
      } else {
        out += text;
      }
      return;
    case Kind::boolean: out += text == "t" ? "true" : "false"; return;
    case Kind::timestamptz: {
      // With TimeZone UTC the server writes "+00" after the time.
      const size_t length = iso_datetime_length(text);
      if (length > 0 && text.substr(length) == "+00") {
        out += '"';
        out.append(text.data(), 10);
        out += 'T';
        out.append(text.data() + 11, length - 11);
        out += "Z\"";
      } else {
        append_string(out, text);
      }
      return;
    }
    case Kind::timestamp: {
      const size_t length = iso_datetime_length(text);
      if (length > 0 && length == text.size()) {
        out += '"';
        out.append(text.data(), 10);
        out += 'T';
        out.append(text.data() + 11, length - 11);
        out += '"';
      } else {
        append_string(out, text);
      }
      return;
    }
    case Kind::json:
    case Kind::array:
      sql_common::append_compact_json(out, text);
      return;
    case Kind::bytea: {
      out += '"';
      if (!sql_common::append_base64_of_hex(out, text)) {
        out.pop_back();
        append_string(out, text);
        return;
      }
      out += '"';
      return;
    }
    case Kind::decimal:
    case Kind::uuid:
    case Kind::date:
    case Kind::time:
    case Kind::interval:
    case Kind::text: append_string(out, text); return;
  }
}

bool split_copy_line(std::string_view line, size_t expected, std::vector<std::optional<std::string_view>>& fields,
                     std::vector<std::string>& storage) {
  fields.clear();
  if (storage.size() < expected) storage.resize(expected);
  size_t start = 0;
  for (;;) {
    size_t end = line.find('\t', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view raw = line.substr(start, end - start);
    if (fields.size() == expected) return false;
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
    } else if (raw.find('\\') == std::string_view::npos) {
      fields.emplace_back(raw);
    } else {
      std::string& text = storage[fields.size()];
      text.clear();
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
          text.push_back(raw[i]);
          continue;
        }
        const char c = raw[++i];
        switch (c) {
          case 'b': text.push_back('\b'); break;
          case 'f': text.push_back('\f'); break;
          case 'n': text.push_back('\n'); break;
          case 'r': text.push_back('\r'); break;
          case 't': text.push_back('\t'); break;
          case 'v': text.push_back('\v'); break;
          case 'x': {
            int value = 0, n = 0;
            while (n < 2 && i + 1 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
              const char h = raw[++i];
              value = value * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
              ++n;
            }
            // Without a hex digit, \x is just an escaped x (the server never
            // writes that, but a line is decoded by the page's rules).
            text.push_back(n > 0 ? static_cast<char>(value) : 'x');
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int value = c - '0', n = 1;
              while (n < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7') {
                value = value * 8 + (raw[++i] - '0');
                ++n;
              }
              text.push_back(static_cast<char>(value));
            } else {
              text.push_back(c);  // \\ and any other escaped character: itself
            }
        }
      }
      fields.emplace_back(std::string_view(text));
    }
    if (end == line.size()) break;
    start = end + 1;
  }
  return fields.size() == expected;
}

}  // namespace postgres
