// PRIVATE to the support library (not installed, not in the author API).
// JSON Web Tokens signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256), as
// Google's service-account grant and Snowflake's key-pair authentication use.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace sluice::support {

std::string base64url_encode(std::string_view bytes);
std::string base64_encode(std::string_view bytes);

// header.claims.signature, with {"alg":"RS256","typ":"JWT"} plus `extra_header`
// fields (e.g. "kid"). `private_key_pem` is a PKCS#8 or PKCS#1 RSA key,
// encrypted when `passphrase` is given. Throws sluice::Error(config) naming
// `key_name` when the key cannot be read (never echoing the key).
std::string sign_jwt_rs256(const boost::json::object& claims, std::string_view private_key_pem,
                           std::string_view key_name, const boost::json::object& extra_header = {},
                           std::string_view passphrase = {});

// SHA256:<base64 of the SHA-256 of the public key's DER (SubjectPublicKeyInfo)>,
// the fingerprint Snowflake shows as RSA_PUBLIC_KEY_FP.
std::string public_key_fingerprint(std::string_view private_key_pem, std::string_view key_name,
                                   std::string_view passphrase = {});

}  // namespace sluice::support
