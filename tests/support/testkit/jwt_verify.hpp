// For fakes: check an RS256 JWT as the real token endpoint would.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace sluice::testkit {

struct VerifiedJwt {
  boost::json::object header;
  boost::json::object claims;
};

// The header and claims when `jwt` is header.claims.signature with alg RS256
// and a signature that verifies with `public_pem`; nullopt otherwise.
std::optional<VerifiedJwt> verify_rs256_jwt(const std::string& jwt, const std::string& public_pem);

std::string base64url_decode(const std::string& text);

}  // namespace sluice::testkit
