#include "fake_tables.hpp"

namespace bigquery_fake {

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
