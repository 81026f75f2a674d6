#include "auth0_api.hpp"

#include <sluice/support/auth.hpp>
#include <sluice/support/endpoint.hpp>
#include <sluice/support/pagination.hpp>

namespace auth0 {

namespace json = boost::json;
using namespace sluice::support;

Auth0Api::Auth0Api(const sluice::Config& config, const sluice::Logger& logger)
    : page_size_(static_cast<size_t>(config.integer("page_size"))) {
  const std::string domain = config.string("domain");
  const Endpoint endpoint = endpoint_from_config(config.json(), "https://" + domain);
  api_base_ = endpoint.base_url + "/api/v2";
  HttpOptions options = options_for(logger);
  options.ca_file = endpoint.ca_file;
  client_ = std::make_unique<HttpClient>(std::move(options));
  const sluice::Config credentials = config.object("credentials");
  if (credentials.string("auth_type") == "api_token") {
    client_->set_auth(std::make_shared<StaticBearerAuth>(credentials.string("token")));
  } else {
    // https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
    std::string audience = credentials.optional_string("audience").value_or("");
    if (audience.empty()) audience = "https://" + domain + "/api/v2/";
    client_->set_auth(std::make_shared<ClientCredentialsAuth>(endpoint.base_url + "/oauth/token",
                                                              credentials.string("client_id"),
                                                              credentials.string("client_secret"), audience));
  }
}

json::value Auth0Api::get(const std::string& path_and_query) { return client_->get_json(api_base_ + path_and_query); }

// https://auth0.com/docs/manage-users/user-search/view-search-results-by-page
void Auth0Api::list(const std::string& path, const std::string& query, const std::string& array_key,
                    const std::function<void(json::array&)>& on_page) {
  for_each_page(page_size_, [&](size_t page) {
    json::value body = get(path + "?" + query + "page=" + std::to_string(page) + "&per_page=" +
                           std::to_string(page_size_) + "&include_totals=true");
    auto* envelope = body.if_object();
    json::value* items = envelope ? envelope->if_contains(array_key) : nullptr;
    if (!items || !items->is_array()) {
      throw sluice::Error(sluice::ErrorKind::source,
                          "auth0: GET /api/v2" + path + " answered without a \"" + array_key + "\" array");
    }
    Page result{items->get_array().size(), std::nullopt};
    if (const auto* total = envelope->if_contains("total"); total && total->is_int64()) {
      result.total = static_cast<size_t>(total->get_int64());
    }
    on_page(items->get_array());
    return result;
  });
}

}  // namespace auth0
