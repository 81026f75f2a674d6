// Secrets at rest: what the daemon stores of a connection is sealed with
// AES-256-GCM (OpenSSL EVP), so the store file or database alone reveals no
// secret. The key comes from an environment variable or a file
// (ServeConfig::secrets_key_env / secrets_key_file).
#pragma once

#include "host/serve/serve_config.hpp"

#include <array>
#include <string>
#include <string_view>

namespace sluice::host::serve {

class SecretBox {
 public:
  using Key = std::array<unsigned char, 32>;
  explicit SecretBox(const Key& key) : key_(key) {}

  // The key named by `config`: the environment variable if set (64 hex
  // digits), else the key file, which is created (mode 0600, a new random
  // key) when it does not exist. Throws ConfigError naming the variable or
  // file, never showing the key.
  static SecretBox from_config(const ServeConfig& config);

  // "v1:" + base64(12-byte random nonce | ciphertext | 16-byte tag).
  std::string seal(std::string_view plaintext) const;
  // The plaintext of seal()'s output. Throws std::runtime_error("cannot
  // decrypt a stored secret: wrong key or damaged data") when the tag does
  // not verify (another key, altered bytes).
  std::string open(std::string_view sealed) const;

 private:
  Key key_;
};

// Lowercase hex of `bytes` random bytes from OpenSSL's CSPRNG.
std::string random_hex(size_t bytes);
// Lowercase hex of `size` bytes.
std::string hex_of(const unsigned char* bytes, size_t size);
// Lowercase hex of the SHA-256 digest of `text`.
std::string sha256_hex(std::string_view text);

}  // namespace sluice::host::serve
