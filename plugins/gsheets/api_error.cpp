#include "api_error.hpp"

namespace gsheets {

namespace json = boost::json;

namespace {

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 300)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (text.size() > 300) out += "...";
  return out;
}

}  // namespace

ApiError parse_api_error(int status, std::string_view body) {
  ApiError error;
  error.status = status;
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  const auto* root = !ec && parsed.is_object() ? parsed.get_object().if_contains("error") : nullptr;
  if (!root || !root->is_object()) return error;
  error.from_api = true;
  const auto& object = root->get_object();
  if (const auto* message = object.if_contains("message"); message && message->is_string()) {
    error.message = one_line(message->get_string());
  }
  if (const auto* name = object.if_contains("status"); name && name->is_string()) {
    error.code_name = one_line(name->get_string());
  }
  return error;
}

sluice::Error to_error(const ApiError& error, const CallContext& call) {
  using sluice::ErrorKind;
  const std::string answer = "HTTP " + std::to_string(error.status) +
                             (error.code_name.empty() ? "" : " " + error.code_name) +
                             (error.message.empty() ? "" : ": " + error.message);
  const std::string where = call.method + " of " + call.resource;
  const bool key_refused = error.status == 400 && error.message.find("API key not valid") != std::string::npos;
  if (error.status == 401 || key_refused) {
    return {ErrorKind::auth, call.principal + " was not accepted by Google (" + where + "): " + answer};
  }
  if (error.status == 403) {
    if (call.api_key) {
      return {ErrorKind::auth, "spreadsheet " + call.spreadsheet_id +
                                   " is not public: an API key reads only sheets shared as 'Anyone with the link' "
                                   "(use a service account for private sheets) (" + where + "): " + answer};
    }
    return {ErrorKind::auth, "spreadsheet " + call.spreadsheet_id + " is not shared with " + call.principal +
                                 " (share it with that e-mail as Viewer) (" + where + "): " + answer};
  }
  if (error.status == 404) {
    return {ErrorKind::config, "spreadsheet " + call.spreadsheet_id + " not found (" + where +
                                   "); check config.spreadsheet: " + answer};
  }
  const std::string tried = call.attempts > 1 ? " after " + std::to_string(call.attempts) + " attempts" : "";
  if (error.status == 429) return {ErrorKind::rate_limited, where + " failed" + tried + ": " + answer};
  if (error.status >= 500) return {ErrorKind::transient, where + " failed" + tried + ": " + answer};
  return {ErrorKind::source, where + " failed: " + answer};
}

}  // namespace gsheets
