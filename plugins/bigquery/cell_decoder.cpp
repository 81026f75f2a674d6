#include "cell_decoder.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace bigquery {

namespace {

std::optional<int64_t> parse_int64(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}


json::value decode_scalar(std::string_view text, const Field& field) {
  switch (field.type) {
    case FieldType::int64:
      if (auto value = parse_int64(text)) return *value;
      return json::string(text);  // kept exactly; the host reports it as uncast
    case FieldType::float64: {
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      // NaN and ±Infinity have no JSON number: they stay strings.
      if (ec == std::errc() && end == text.data() + text.size() && value == value &&
          value - value == 0) {
        return value;
      }
      return json::string(text);
    }
    case FieldType::boolean:
      if (text == "true") return true;
      if (text == "false") return false;
      return json::string(text);
    case FieldType::timestamp:
      if (auto micros = parse_timestamp_micros(text)) {
        return json::string(sluice::support::format_rfc3339({*micros}));
      }
      return json::string(text);  // already ISO-8601 (timestampOutputFormat)
    case FieldType::json: {
      json::error_code ec;
      json::value parsed = json::parse(text, ec);
      if (!ec) return parsed;
      return json::string(text);
    }
    default: return json::string(text);
  }
}

json::value decode_value(const json::value& v, const Field& field) {
  if (v.is_null()) return nullptr;
  if (field.type == FieldType::record) {
    if (!v.is_object()) {
      throw sluice::Error(sluice::ErrorKind::source,
                          "the value of RECORD field " + field.name + " is not an object");
    }
    return decode_row(v, field.fields);
  }
  if (!v.is_string()) {
    throw sluice::Error(sluice::ErrorKind::source,
                        "the value of field " + field.name + " is not a string");
  }
  return decode_scalar(v.get_string(), field);
}

}  // namespace

json::value decode_cell(const json::value& v, const Field& field) {
  if (!field.repeated) return decode_value(v, field);
  json::array out;
  if (v.is_null()) return out;  // REPEATED is never NULL: an empty array
  if (!v.is_array()) {
    throw sluice::Error(sluice::ErrorKind::source,
                        "the value of REPEATED field " + field.name + " is not an array");
  }
  for (const auto& element : v.get_array()) {
    const auto* cell = element.if_object();
    const auto* inner = cell ? cell->if_contains("v") : nullptr;
    out.push_back(inner ? decode_value(*inner, field) : json::value(nullptr));
  }
  return out;
}

json::object decode_row(const json::value& row, const std::vector<Field>& fields) {
  const auto* object = row.if_object();
  const auto* cells = object ? object->if_contains("f") : nullptr;
  if (!cells || !cells->is_array() || cells->get_array().size() != fields.size()) {
    throw sluice::Error(sluice::ErrorKind::source,
                        "a result row does not have the " + std::to_string(fields.size()) +
                            " cells of its schema");
  }
  json::object record;
  record.reserve(fields.size());
  const auto& list = cells->get_array();
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto* cell = list[i].if_object();
    const auto* v = cell ? cell->if_contains("v") : nullptr;
    record[fields[i].name] = v ? decode_cell(*v, fields[i]) : json::value(nullptr);
  }
  return record;
}

std::optional<int64_t> parse_timestamp_micros(std::string_view text) {
  if (auto micros = parse_int64(text)) return micros;
  // Float seconds: [-]digits[.digits][E[+-]digits], shifted by 6 places as text.
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  std::string digits;
  int64_t point = -1;  // digits before the decimal point
  size_t i = 0;
  for (; i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'); ++i) {
    if (text[i] == '.') {
      if (point >= 0) return std::nullopt;
      point = static_cast<int64_t>(digits.size());
    } else {
      digits.push_back(text[i]);
    }
  }
  if (digits.empty()) return std::nullopt;
  if (point < 0) point = static_cast<int64_t>(digits.size());
  int64_t exponent = 0;
  if (i < text.size()) {
    if (text[i] != 'E' && text[i] != 'e') return std::nullopt;
    auto parsed = parse_int64(text.substr(i + 1 + (i + 1 < text.size() && text[i + 1] == '+' ? 1 : 0)));
    if (!parsed || *parsed > 30 || *parsed < -30) return std::nullopt;
    exponent = *parsed;
  }
  const int64_t integer_digits = point + exponent + 6;  // digits of the microsecond count
  if (integer_digits > 19) return std::nullopt;
  std::string whole = integer_digits <= 0 ? std::string("0") : digits.substr(0, static_cast<size_t>(std::min<int64_t>(integer_digits, static_cast<int64_t>(digits.size()))));
  while (static_cast<int64_t>(whole.size()) < integer_digits) whole.push_back('0');
  auto value = parse_int64(whole);
  if (!value) return std::nullopt;
  // Round half away from zero on the first dropped digit.
  if (integer_digits >= 0 && static_cast<size_t>(integer_digits) < digits.size() && digits[static_cast<size_t>(integer_digits)] >= '5') {
    ++*value;
  }
  return negative ? -*value : *value;
}

}  // namespace bigquery
