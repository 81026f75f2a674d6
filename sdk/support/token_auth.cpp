#include "auth_flows.hpp"

namespace sluice::support {

void StaticBearerAuth::authorize(HttpRequest& request, HttpClient& /*client*/) {
  request.headers.emplace_back("Authorization", "Bearer " + token_);
}

void CachedTokenAuth::authorize(HttpRequest& request, HttpClient& client) {
  std::lock_guard lock(mutex_);
  const auto now = client.options().now();
  if (token_.empty() || now >= renew_at_) {
    Token fresh = fetch(client);
    token_ = std::move(fresh.access_token);
    // Renew a minute early (or halfway through a short-lived token) so a
    // token never expires between being attached and being checked.
    const auto margin = std::min<std::chrono::seconds>(std::chrono::seconds(60), fresh.expires_in / 2);
    renew_at_ = now + fresh.expires_in - margin;
  }
  request.headers.emplace_back("Authorization", "Bearer " + token_);
}

}  // namespace sluice::support
