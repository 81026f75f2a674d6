#include "host/serve/api_types.hpp"

namespace sluice::host::serve {

boost::json::object ApiRequest::json_object_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ApiError(400, "invalid_json", "the request body is empty; this route expects a JSON object");
  }
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) throw ApiError(400, "invalid_json", "the request body is not valid JSON (" + ec.message() + ")");
  if (!value.is_object()) throw ApiError(400, "invalid_json", "the request body must be a JSON object");
  return std::move(value.as_object());
}

boost::json::object ApiError::body() const {
  boost::json::object out{{"code", code_}, {"message", what()}};
  if (!errors_.empty()) {
    boost::json::array list;
    for (const auto& e : errors_) list.push_back(boost::json::object{{"path", e.path}, {"message", e.message}});
    out["errors"] = std::move(list);
  }
  return out;
}

FieldError field_error(const std::string& line) {
  const size_t sep = line.find(": ");
  if (sep == std::string::npos) return {"", line};
  return {line.substr(0, sep), line.substr(sep + 2)};
}

}  // namespace sluice::host::serve
