// The Management API v2 as the connector uses it: an HttpClient with the
// configured credentials, page-based listing with the include_totals
// envelope, and scope errors that name the scope.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/http_client.hpp>

#include <functional>
#include <memory>
#include <string>

namespace auth0 {

// One per session, owned by the connector: check, discover and every stream
// share its HttpClient and so one access token, renewed only when it expires
// (https://auth0.com/docs/secure/tokens/token-best-practices: reuse tokens;
// the token endpoint is rate-limited).
class Auth0Api {
 public:
  Auth0Api(const sluice::Config& config, const sluice::Logger& logger);

  // GET {base}/api/v2{path_and_query}, parsed.
  boost::json::value get(const std::string& path_and_query);

  // Page through `path` (page, per_page, include_totals=true), handing each
  // page's `array_key` items on. `query` is extra encoded parameters ("a=b&").
  void list(const std::string& path, const std::string& query, const std::string& array_key,
            const std::function<void(boost::json::array& items)>& on_page);

  size_t page_size() const { return page_size_; }

 private:
  std::string api_base_;
  size_t page_size_;
  std::unique_ptr<sluice::support::HttpClient> client_;
};

}  // namespace auth0
