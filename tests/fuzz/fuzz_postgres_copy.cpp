// Fuzz target: the PostgreSQL connector's COPY text-format parser
// (postgres::split_copy_line) and the record text of the values it yields.
// Input: the first byte picks how many fields the line must have (1-8), the
// rest is one COPY line as a server (or anything on the wire) sends it.
// Checked, from the format's documentation
// (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2):
//  - the parser agrees with a reference decoder written from that page;
//  - what it decodes, written back the way the server escapes it, decodes to
//    the same fields (NUL bytes, tabs and backslashes included);
//  - every value a text-like column gets from it is a JSON string, and a
//    JSON value (json/jsonb, arrays) comes out as the same value.
// Nothing here may throw: any exception or crash is a finding.
#include "record_text.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace json = boost::json;

namespace {

using Fields = std::vector<std::optional<std::string>>;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The documentation's rules, one character at a time: \b \f \n \r \t \v;
// \digits (one to three octal); \xdigits (one or two hex); any other
// backslashed character is itself; \N alone is NULL.
Fields reference_split(std::string_view line) {
  Fields fields;
  size_t start = 0;
  for (;;) {
    size_t end = line.find('\t', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view raw = line.substr(start, end - start);
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
    } else {
      std::string text;
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 == raw.size()) {
          text.push_back(raw[i]);
          continue;
        }
        const char c = raw[++i];
        if (c == 'b') text.push_back('\b');
        else if (c == 'f') text.push_back('\f');
        else if (c == 'n') text.push_back('\n');
        else if (c == 'r') text.push_back('\r');
        else if (c == 't') text.push_back('\t');
        else if (c == 'v') text.push_back('\v');
        else if (c == 'x' && i + 1 < raw.size() && hex_value(raw[i + 1]) >= 0) {
          int value = hex_value(raw[++i]);
          if (i + 1 < raw.size() && hex_value(raw[i + 1]) >= 0) value = value * 16 + hex_value(raw[++i]);
          text.push_back(static_cast<char>(value));
        } else if (c >= '0' && c <= '7') {
          int value = c - '0';
          for (int n = 1; n < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7'; ++n) {
            value = value * 8 + (raw[++i] - '0');
          }
          text.push_back(static_cast<char>(value));
        } else {
          text.push_back(c);
        }
      }
      fields.emplace_back(std::move(text));
    }
    if (end == line.size()) break;
    start = end + 1;
  }
  return fields;
}

// How the server writes a value in COPY's text format.
std::string escape(const std::optional<std::string>& field) {
  if (!field) return "\\N";
  std::string out;
  for (char c : *field) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default: out += c;
    }
  }
  return out;
}

Fields copied(const std::vector<std::optional<std::string_view>>& views) {
  Fields out;
  for (const auto& view : views) out.emplace_back(view ? std::optional<std::string>(std::string(*view)) : std::nullopt);
  return out;
}

void require(bool condition, const char* what) {
  if (!condition) throw std::logic_error(what);
}

postgres::Column column_of(postgres::Kind kind) { return {"c", "t", "t", kind}; }

// Text-like kinds take any text and must yield a JSON string.
void check_values(const std::string& text) {
  using postgres::Kind;
  for (Kind kind : {Kind::text, Kind::decimal, Kind::uuid, Kind::date, Kind::time, Kind::interval,
                    Kind::timestamptz, Kind::timestamp, Kind::bytea}) {
    std::string out;
    postgres::RecordText::append_value(out, column_of(kind), text);
    json::error_code ec;
    const json::value value = json::parse(out, ec);
    require(!ec && value.is_string(), "a text-like value is not a JSON string");
  }
  // json/jsonb and arrays: the server sends valid JSON; it must come out
  // as the same value, only its layout changed.
  json::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec) return;
  for (Kind kind : {Kind::json, Kind::array}) {
    std::string out;
    postgres::RecordText::append_value(out, column_of(kind), text);
    const json::value again = json::parse(out, ec);
    require(!ec, "a JSON value's compact text is not JSON");
    require(again == document, "a JSON value's compact text is another value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t expected = 1 + data[0] % 8;
  const std::string_view line(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (line.find('\n') != std::string_view::npos) return 0;  // COPY hands over one line at a time

  std::vector<std::optional<std::string_view>> fields;
  std::vector<std::string> storage;
  const bool whole = postgres::split_copy_line(line, expected, fields, storage);
  const Fields reference = reference_split(line);
  require(whole == (reference.size() == expected), "the field count disagrees with the reference");
  if (!whole) return 0;
  const Fields decoded = copied(fields);
  require(decoded == reference, "a field decodes differently from the documented rules");

  std::string written;
  for (size_t i = 0; i < decoded.size(); ++i) written += (i ? "\t" : "") + escape(decoded[i]);
  std::vector<std::optional<std::string_view>> again;
  std::vector<std::string> again_storage;
  require(postgres::split_copy_line(written, expected, again, again_storage), "a re-escaped line lost fields");
  require(copied(again) == decoded, "a re-escaped line decodes to other fields");

  for (const auto& field : decoded) {
    if (field) check_values(*field);
  }
  return 0;
}
