#include "host/serve/secret_box.hpp"

#include "host/config/config_error.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace sluice::host::serve {

namespace {

constexpr size_t kNonce = 12;
constexpr size_t kTag = 16;
constexpr std::string_view kPrefix = "v1:";

void random_bytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
}

bool from_hex(std::string_view text, SecretBox::Key& key) {
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() != key.size() * 2) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    int hi = value(text[2 * i]), lo = value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    key[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

std::string base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(written));
  return out;
}

std::string unbase64(std::string_view text) {
  if (text.size() % 4 != 0) throw std::runtime_error("cannot decrypt a stored secret: wrong key or damaged data");
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("cannot decrypt a stored secret: wrong key or damaged data");
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

std::string hex_of(const unsigned char* bytes, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return hex_of(digest, size);
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  random_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  return hex_of(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

SecretBox SecretBox::from_config(const ServeConfig& config) {
  Key key{};
  if (!config.secrets_key_env.empty()) {
    if (const char* env = std::getenv(config.secrets_key_env.c_str())) {
      if (!from_hex(env, key)) {
        throw ConfigError("secrets key: environment variable " + config.secrets_key_env +
                          " must hold 64 hex digits (a 32-byte AES-256 key)");
      }
      return SecretBox(key);
    }
  }
  const std::string file = config.secrets_key_file.string();
  std::ifstream in(file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    if (!from_hex(text.str(), key)) {
      throw ConfigError("secrets key: file " + file + " must hold 64 hex digits (a 32-byte AES-256 key)");
    }
    return SecretBox(key);
  }
  random_bytes(key.data(), key.size());
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw ConfigError("secrets key: cannot create " + file);
  const std::string hex = hex_of(key.data(), key.size()) + "\n";
  bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ::close(fd);
  if (!ok) throw ConfigError("secrets key: cannot write " + file);
  return SecretBox(key);
}

std::string SecretBox::seal(std::string_view plaintext) const {
  unsigned char nonce[kNonce];
  random_bytes(nonce, kNonce);
  std::string buffer(kNonce + plaintext.size() + kTag, '\0');
  auto* out = reinterpret_cast<unsigned char*>(buffer.data());
  std::copy(nonce, nonce + kNonce, out);
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0, total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1) {
    throw std::runtime_error("OpenSSL AES-256-GCM encryption failed");
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), out + kNonce + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, out + kNonce + plaintext.size()) != 1) {
    throw std::runtime_error("OpenSSL AES-256-GCM encryption failed");
  }
  return std::string(kPrefix) + base64(out, buffer.size());
}

std::string SecretBox::open(std::string_view sealed) const {
  const std::runtime_error damaged("cannot decrypt a stored secret: wrong key or damaged data");
  if (sealed.substr(0, kPrefix.size()) != kPrefix) throw damaged;
  std::string raw = unbase64(sealed.substr(kPrefix.size()));
  if (raw.size() < kNonce + kTag) throw damaged;
  const auto* in = reinterpret_cast<unsigned char*>(raw.data());
  const size_t text_size = raw.size() - kNonce - kTag;
  std::string plain(text_size, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  std::string tag = raw.substr(kNonce + text_size);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), in) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, in + kNonce,
                        static_cast<int>(text_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) != 1) {
    throw damaged;
  }
  return plain;
}

}  // namespace sluice::host::serve
