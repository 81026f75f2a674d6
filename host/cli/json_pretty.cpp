#include "host/cli/json_pretty.hpp"

namespace sluice::host::cli {

namespace {

void write(const boost::json::value& value, std::string& out, int depth) {
  auto indent = [&](int level) { out.append(static_cast<size_t>(level) * 2, ' '); };
  if (const auto* object = value.if_object(); object && !object->empty()) {
    out += "{\n";
    size_t i = 0;
    for (const auto& field : *object) {
      indent(depth + 1);
      out += boost::json::serialize(boost::json::string(field.key())) + ": ";
      write(field.value(), out, depth + 1);
      out += ++i < object->size() ? ",\n" : "\n";
    }
    indent(depth);
    out += "}";
  } else if (const auto* array = value.if_array(); array && !array->empty()) {
    out += "[\n";
    for (size_t i = 0; i < array->size(); ++i) {
      indent(depth + 1);
      write((*array)[i], out, depth + 1);
      out += i + 1 < array->size() ? ",\n" : "\n";
    }
    indent(depth);
    out += "]";
  } else {
    out += boost::json::serialize(value);
  }
}

}  // namespace

std::string pretty_json(const boost::json::value& value) {
  std::string out;
  write(value, out, 0);
  return out + "\n";
}

}  // namespace sluice::host::cli
