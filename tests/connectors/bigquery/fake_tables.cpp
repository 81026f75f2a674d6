#include "fake_tables.hpp"

#include <cstdio>

namespace bigquery_fake {

namespace {

// Micros since the epoch as float seconds in E-notation, the API's TIMESTAMP
// encoding without useInt64Timestamp ("1.714550000123456E9").
std::string float_seconds(const std::string& micros_text) {
  const long long micros = std::stoll(micros_text);
  char text[64];
  std::snprintf(text, sizeof text, "%.15E", static_cast<double>(micros) / 1e6);
  std::string out(text);  // 1.714550000123456E+09
  const size_t e = out.find('E');
  std::string mantissa = out.substr(0, e);
  while (mantissa.size() > 3 && mantissa.back() == '0') mantissa.pop_back();
  return mantissa + "E" + std::to_string(std::stoi(out.substr(e + 1)));
}

void to_float_timestamps(json::value& cells_row, const json::array& fields) {
  auto& cells = cells_row.at("f").as_array();
  for (size_t i = 0; i < fields.size() && i < cells.size(); ++i) {
    const auto& field = fields[i].as_object();
    const std::string type(field.at("type").as_string());
    const bool repeated = field.contains("mode") && field.at("mode") == "REPEATED";
    auto convert = [&](json::value& v) {
      if (v.is_null()) return;
      if (type == "TIMESTAMP") v = float_seconds(std::string(v.as_string()));
      if (type == "RECORD" || type == "STRUCT") to_float_timestamps(v, field.at("fields").as_array());
    };
    json::value& v = cells[i].as_object()["v"];
    if (repeated && v.is_array()) {
      for (auto& element : v.as_array()) convert(element.as_object()["v"]);
    } else {
      convert(v);
    }
  }
}

}  // namespace

json::value with_float_timestamps(json::value row, const json::array& fields) {
  to_float_timestamps(row, fields);
  return row;
}

int64_t data_size(const json::object& field, const json::value& v) {
  if (v.is_null()) return 0;
  const std::string type(field.at("type").as_string());
  const bool repeated = field.contains("mode") && field.at("mode") == "REPEATED";
  auto scalar = [&](const json::value& value) -> int64_t {
    if (value.is_null()) return 0;
    if (type == "RECORD" || type == "STRUCT") {
      int64_t total = 0;
      const auto& fields = field.at("fields").as_array();
      const auto& cells = value.at("f").as_array();
      for (size_t i = 0; i < fields.size() && i < cells.size(); ++i) {
        total += data_size(fields[i].as_object(), cells[i].at("v"));
      }
      return total;
    }
    const auto size = static_cast<int64_t>(value.as_string().size());
    if (type == "STRING") return 2 + size;
    if (type == "BYTES") return 2 + size * 3 / 4;
    if (type == "JSON") return size;
    if (type == "BOOLEAN" || type == "BOOL") return 1;
    if (type == "NUMERIC" || type == "INTERVAL") return 16;
    if (type == "BIGNUMERIC") return 32;
    if (type == "GEOGRAPHY") return 16 + 24;
    return 8;  // INT64, FLOAT64, DATE, TIME, DATETIME, TIMESTAMP
  };
  if (!repeated) return scalar(v);
  int64_t total = 0;
  for (const auto& element : v.as_array()) total += scalar(element.at("v"));
  return total;
}

json::object field(const std::string& name, const std::string& type, const std::string& mode,
                   std::initializer_list<json::value> nested) {
  json::object out{{"name", name}, {"type", type}, {"mode", mode}};
  if (nested.size() > 0) out["fields"] = json::array(nested.begin(), nested.end());
  return out;
}

json::value cell(const std::string& v) { return json::object{{"v", v}}; }
json::value null_cell() { return json::object{{"v", nullptr}}; }

json::value record_cell(std::initializer_list<json::value> cells) {
  return json::object{{"v", json::object{{"f", json::array(cells.begin(), cells.end())}}}};
}

json::value repeated_cell(std::initializer_list<json::value> elements) {
  return json::object{{"v", json::array(elements.begin(), elements.end())}};
}

json::value repeated_cell(const std::vector<json::value>& elements) {
  return json::object{{"v", json::array(elements.begin(), elements.end())}};
}

json::value row(std::initializer_list<json::value> cells) {
  return json::object{{"f", json::array(cells.begin(), cells.end())}};
}

json::value row(const std::vector<json::value>& cells) {
  return json::object{{"f", json::array(cells.begin(), cells.end())}};
}

}  // namespace bigquery_fake
