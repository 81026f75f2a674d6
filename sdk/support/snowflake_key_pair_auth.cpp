#include "auth_flows.hpp"
#include "jwt.hpp"

#include <algorithm>

namespace sluice::support {

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

}  // namespace

SnowflakeKeyPairAuth::SnowflakeKeyPairAuth(std::string account, std::string user, std::string private_key_pem,
                                           std::string passphrase)
    : private_key_(std::move(private_key_pem)), passphrase_(std::move(passphrase)) {
  // Snowflake wants the account without region or cloud suffix, upper-cased.
  account = upper(account.substr(0, account.find('.')));
  qualified_user_ = account + "." + upper(user);
  fingerprint_ = public_key_fingerprint(private_key_, "private_key", passphrase_);
}

std::string SnowflakeKeyPairAuth::make_jwt(std::chrono::system_clock::time_point now) const {
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  boost::json::object claims{{"iss", qualified_user_ + "." + fingerprint_},
                             {"sub", qualified_user_},
                             {"iat", iat},
                             {"exp", iat + 3600}};
  return sign_jwt_rs256(claims, private_key_, "private_key", {}, passphrase_);
}

void SnowflakeKeyPairAuth::authorize(HttpRequest& request, HttpClient& client) {
  std::lock_guard lock(mutex_);
  const auto now = client.options().now();
  if (jwt_.empty() || now >= renew_at_) {
    jwt_ = make_jwt(now);
    renew_at_ = now + std::chrono::minutes(55);
  }
  request.headers.emplace_back("Authorization", "Bearer " + jwt_);
  request.headers.emplace_back("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT");
}

}  // namespace sluice::support
