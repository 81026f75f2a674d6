#include "auth0_api.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/endpoint.hpp>
#include <sluice/support/json_elements.hpp>
#include <sluice/support/pagination.hpp>

#include <charconv>

namespace auth0 {

namespace json = boost::json;
using namespace sluice::support;

Auth0Api::Auth0Api(const sluice::Config& config, const sluice::Logger& logger)
    : page_size_(static_cast<size_t>(config.integer("page_size"))),
      concurrency_(static_cast<size_t>(config.integer("concurrency"))) {
  const std::string domain = config.string("domain");
  const Endpoint endpoint = endpoint_from_config(config.json(), "https://" + domain);
  api_base_ = endpoint.base_url + "/api/v2";
  HttpOptions options = options_for(logger);
  options.ca_file = endpoint.ca_file;
  client_ = std::make_unique<HttpClient>(std::move(options));
  const sluice::Config credentials = config.object("credentials");
  if (credentials.string("auth_type") == "api_token") {
    auth_ = bearer_token_auth(credentials.string("token"));
  } else {
    // https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
    std::string audience = credentials.optional_string("audience").value_or("");
    if (audience.empty()) audience = "https://" + domain + "/api/v2/";
    auth_ = client_credentials_auth(endpoint.base_url + "/oauth/token", credentials.string("client_id"),
                                    credentials.string("client_secret"), audience);
  }
  client_->set_auth(auth_);
}

std::unique_ptr<FetchPool> Auth0Api::pool() const {
  return std::make_unique<FetchPool>(client_->options(), auth_, api_base_, FetchLimits{concurrency_, 0});
}

json::value Auth0Api::get(const std::string& path_and_query) { return client_->get_json(api_base_ + path_and_query); }

std::string Auth0Api::get_text(const std::string& path_and_query) {
  return client_->get_json_text(api_base_ + path_and_query);
}

size_t Auth0Api::items(std::string_view body, const std::string& path, const std::string& array_key,
                       const ItemHandler& on_item) {
  const std::string where = "GET /api/v2" + path;
  bool flowing = false;  // for_each_element throws only before its first element: later errors are ours
  try {
    return for_each_element(body, array_key, [&](std::string_view item) {
      flowing = true;
      if (item.front() != '{') throw sluice::Error(sluice::ErrorKind::source, where + ": a listed element is not an object");
      on_item(item);
    });
  } catch (const sluice::Error& e) {
    if (flowing) throw;
    throw sluice::Error(e.kind(), where + ": " + e.what());
  }
}

std::optional<size_t> Auth0Api::total(std::string_view body) {
  const std::optional<std::string_view> text = member_json(body, "total");
  if (!text) return std::nullopt;
  size_t total = 0;
  const char* end = text->data() + text->size();
  const auto parsed = std::from_chars(text->data(), end, total);
  if (parsed.ec != std::errc() || parsed.ptr != end) return std::nullopt;
  return total;
}

// https://auth0.com/docs/manage-users/user-search/view-search-results-by-page
void Auth0Api::list(const std::string& path, const std::string& query, const std::string& array_key,
                    const ItemHandler& on_item) {
  std::optional<size_t> reported;
  const size_t seen = for_each_page(page_size_, [&](size_t page) {
    const std::string body = get_text(path + "?" + query + "page=" + std::to_string(page) + "&per_page=" +
                                      std::to_string(page_size_) + "&include_totals=true");
    const size_t count = items(body, path, array_key, on_item);
    reported = total(body);
    return Page{count, reported};
  });
  if (reported && seen < *reported) {
    throw sluice::Error(sluice::ErrorKind::source, "GET /api/v2" + path + ": the pages ended after " +
                                                       std::to_string(seen) + " of the " + std::to_string(*reported) +
                                                       " records the API reports; the rest cannot be listed by page");
  }
}

// Checkpoint pagination as GET /organizations documents it in the Management
// API's OpenAPI document: "The first time you call this endpoint using
// checkpoint pagination, omit the from parameter. If there are more results,
// a next value is included in the response."
void Auth0Api::list_by_checkpoint(const std::string& path, const std::string& array_key, const ItemHandler& on_item) {
  const std::string take = "?take=" + std::to_string(page_size_);
  for_each_token_page(
      [&](const std::string& from) {
        const std::string body = get_text(path + take + (from.empty() ? "" : "&from=" + url_encode(from)));
        items(body, path, array_key, on_item);
        return string_member(body, "next").value_or("");
      },
      "GET /api/v2" + path);
}

std::optional<std::string> string_member(std::string_view object_json, std::string_view key) {
  const std::optional<std::string_view> text = member_json(object_json, key);
  if (!text || text->front() != '"') return std::nullopt;
  return std::string(json::parse(*text).get_string());
}

void with_last_member(std::string& out, std::string_view object_json, std::string_view key,
                      std::string_view value_json) {
  const std::string_view open = object_json.substr(0, object_json.rfind('}'));  // "{..." without its '}'
  const bool empty = open.find_first_not_of(" \t\r\n", 1) == std::string_view::npos;
  out.assign(open);
  out += empty ? "\"" : ",\"";
  out += key;
  out += "\":";
  out += value_json;
  out += '}';
}

}  // namespace auth0
