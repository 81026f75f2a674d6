#include "host/serve/api_keys.hpp"

#include "host/serve/secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace sluice::host::serve {

namespace {

// The secret is 256 random bits, so stretching guards no weak password
// here; the iterations only slow an attacker holding a copy of the store.
// Verified keys are cached by the daemon, so this cost is paid once per key.
constexpr int kIterations = 20000;
constexpr size_t kIdBytes = 8;
constexpr size_t kSecretBytes = 32;

std::string pbkdf2_hex(const std::string& secret, const std::string& salt) {
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        kIterations, EVP_sha256(), sizeof out, out) != 1) {
    throw std::runtime_error("OpenSSL PBKDF2 failed");
  }
  return hex_of(out, sizeof out);
}

bool is_hex(std::string_view text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::viewer: return "viewer";
    case Role::operator_: return "operator";
    case Role::admin: return "admin";
    case Role::ingest: return "ingest";
  }
  return "viewer";
}

bool role_allows(Role have, Role needs) {
  if (needs == Role::ingest) return have == Role::ingest || have >= Role::operator_;
  return have != Role::ingest && static_cast<int>(have) >= static_cast<int>(needs);
}

std::string role_needed(Role needs) {
  if (needs == Role::ingest) return "the ingest, operator or admin role";
  return "the " + std::string(to_string(needs)) + " role";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "viewer") return Role::viewer;
  if (text == "operator") return Role::operator_;
  if (text == "admin") return Role::admin;
  if (text == "ingest") return Role::ingest;
  return std::nullopt;
}

NewKey make_api_key() {
  NewKey key;
  key.id = random_hex(kIdBytes);
  const std::string secret = random_hex(kSecretBytes);
  key.salt = random_hex(16);
  key.hash = pbkdf2_hex(secret, key.salt);
  key.token = "slk_" + key.id + "_" + secret;
  return key;
}

std::optional<PresentedKey> parse_api_key(std::string_view token) {
  if (token.substr(0, 4) != "slk_") return std::nullopt;
  token.remove_prefix(4);
  const size_t sep = token.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  PresentedKey key{std::string(token.substr(0, sep)), std::string(token.substr(sep + 1))};
  if (!is_hex(key.id, kIdBytes * 2) || !is_hex(key.secret, kSecretBytes * 2)) return std::nullopt;
  return key;
}

bool verify_api_key(const std::string& secret, const std::string& salt, const std::string& hash) {
  const std::string computed = pbkdf2_hex(secret, salt);
  return computed.size() == hash.size() && CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

}  // namespace sluice::host::serve
