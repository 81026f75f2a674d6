#include "auth_flows.hpp"

#include <openssl/evp.h>

#include <map>

namespace sluice::support {

void StaticBearerAuth::authorize(HttpRequest& request, HttpClient& /*client*/) {
  request.headers.emplace_back("Authorization", "Bearer " + token_);
}

struct CachedTokenAuth::Cached {
  std::mutex mutex;  // guards the rest; held while fetching, so one fetch serves all waiting
  std::string token;
  std::chrono::system_clock::time_point renew_at{};  // by the fetching client's clock
};

namespace {

// Live shared tokens by credential digest. Entries die with their last
// provider, so no token outlives the sessions that use it.
std::mutex g_shared_mutex;
std::map<std::string, std::weak_ptr<CachedTokenAuth::Cached>>& shared_tokens() {
  static std::map<std::string, std::weak_ptr<CachedTokenAuth::Cached>> tokens;
  return tokens;
}

std::string digest(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  for (std::string_view part : parts) {
    const std::string length = std::to_string(part.size()) + ":";  // unambiguous joins
    EVP_DigestUpdate(context, length.data(), length.size());
    EVP_DigestUpdate(context, part.data(), part.size());
  }
  EVP_DigestFinal_ex(context, hash, &size);
  EVP_MD_CTX_free(context);
  return std::string(reinterpret_cast<const char*>(hash), size);
}

}  // namespace

CachedTokenAuth::CachedTokenAuth() : cached_(std::make_shared<Cached>()) {}

void CachedTokenAuth::share_tokens_as(std::initializer_list<std::string_view> parts) {
  const std::string key = digest(parts);
  std::lock_guard lock(g_shared_mutex);
  auto& tokens = shared_tokens();
  for (auto it = tokens.begin(); it != tokens.end();) it = it->second.expired() ? tokens.erase(it) : std::next(it);
  if (auto live = tokens[key].lock()) {
    cached_ = std::move(live);
  } else {
    tokens[key] = cached_;
  }
}

void CachedTokenAuth::authorize(HttpRequest& request, HttpClient& client) {
  Cached& cached = *cached_;
  std::lock_guard lock(cached.mutex);
  const auto now = client.options().now();
  if (cached.token.empty() || now >= cached.renew_at) {
    Token fresh = fetch(client);
    cached.token = std::move(fresh.access_token);
    // Renew a minute early (or halfway through a short-lived token) so a
    // token never expires between being attached and being checked.
    const auto margin = std::min<std::chrono::seconds>(std::chrono::seconds(60), fresh.expires_in / 2);
    cached.renew_at = now + fresh.expires_in - margin;
  }
  request.headers.emplace_back("Authorization", "Bearer " + cached.token);
}

void CachedTokenAuth::invalidate() {
  std::lock_guard lock(cached_->mutex);
  cached_->token.clear();
}

}  // namespace sluice::support
