#include "jwt.hpp"

#include <sluice/connector.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace sluice::support {

namespace json = boost::json;

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* passphrase = static_cast<const std::string_view*>(user);
  const int n = static_cast<int>(std::min<size_t>(passphrase->size(), static_cast<size_t>(size)));
  std::copy_n(passphrase->data(), n, buffer);
  return n;
}

KeyPtr load_private_key(std::string_view pem, std::string_view key_name, std::string_view passphrase) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, &passphrase);
  if (!key) {
    throw Error(ErrorKind::config, std::string(key_name) +
                                       ": not a readable PEM private key" +
                                       (passphrase.empty() ? " (if it is encrypted, a passphrase is needed)"
                                                           : " (or the passphrase is wrong)"));
  }
  if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    throw Error(ErrorKind::config, std::string(key_name) + ": the private key must be an RSA key");
  }
  return KeyPtr(key, EVP_PKEY_free);
}

std::string encode(std::string_view bytes, bool url) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  if (url) {
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, false); }
std::string base64url_encode(std::string_view bytes) { return encode(bytes, true); }

std::string sign_jwt_rs256(const json::object& claims, std::string_view private_key_pem, std::string_view key_name,
                           const json::object& extra_header, std::string_view passphrase) {
  KeyPtr key = load_private_key(private_key_pem, key_name, passphrase);
  json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  for (const auto& field : extra_header) header[field.key()] = field.value();
  const std::string signing_input =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(claims));

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    throw Error(ErrorKind::internal, std::string(key_name) + ": RS256 signing failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
    throw Error(ErrorKind::internal, std::string(key_name) + ": RS256 signing failed");
  }
  signature.resize(length);
  return signing_input + "." + base64url_encode(signature);
}

std::string public_key_fingerprint(std::string_view private_key_pem, std::string_view key_name,
                                   std::string_view passphrase) {
  KeyPtr key = load_private_key(private_key_pem, key_name, passphrase);
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) throw Error(ErrorKind::internal, std::string(key_name) + ": cannot encode the public key");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  EVP_Digest(der, static_cast<size_t>(length), digest, &digest_length, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  return "SHA256:" + base64_encode(std::string_view(reinterpret_cast<const char*>(digest), digest_length));
}

}  // namespace sluice::support
