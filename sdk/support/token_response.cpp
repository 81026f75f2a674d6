#include "token_response.hpp"

namespace sluice::support::detail {

namespace json = boost::json;

TokenAnswer request_token(HttpClient& client, const std::string& token_url, const Headers& fields,
                          const std::string& who, const Headers& headers) {
  json::value answer;
  try {
    answer = client.post_form(token_url, fields, headers, false);
  } catch (const HttpError& e) {
    if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
      std::string detail;
      json::error_code ec;
      auto body = json::parse(e.body(), ec);
      if (!ec && body.is_object()) {
        const auto& o = body.get_object();
        if (const auto* error = o.if_contains("error"); error && error->is_string()) detail = error->get_string();
        if (const auto* text = o.if_contains("error_description"); text && text->is_string()) {
          detail += (detail.empty() ? "" : ": ") + std::string(text->get_string());
        }
      }
      if (detail.empty()) detail = "HTTP " + std::to_string(e.status());
      throw HttpError(HttpFailure::auth, e.status(),
                      who + ": the token endpoint " + url_for_messages(token_url) + " refused the credentials: " + detail,
                      e.body());
    }
    throw;
  }
  const auto* object = answer.if_object();
  const json::value* token = object ? object->if_contains("access_token") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty()) {
    throw HttpError(HttpFailure::source, 200, who + ": the token endpoint " + url_for_messages(token_url) +
                                                  " answered without an access_token");
  }
  TokenAnswer out{std::string(token->get_string()), std::chrono::seconds(3600)};
  if (const auto* expires = object->if_contains("expires_in")) {
    if (expires->is_int64() && expires->get_int64() > 0) out.expires_in = std::chrono::seconds(expires->get_int64());
  }
  return out;
}

}  // namespace sluice::support::detail
