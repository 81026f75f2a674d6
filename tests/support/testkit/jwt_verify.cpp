#include "testkit/jwt_verify.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace sluice::testkit {

namespace json = boost::json;

std::string base64url_decode(const std::string& text) {
  std::string b64 = text;
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4) b64 += '=';
  std::string out(b64.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return {};
  size_t size = static_cast<size_t>(n);
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) --size;  // EVP_DecodeBlock counts padding
  out.resize(size);
  return out;
}

std::optional<VerifiedJwt> verify_rs256_jwt(const std::string& jwt, const std::string& public_pem) {
  const auto first = jwt.find('.');
  const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  json::error_code ec;
  auto header = json::parse(base64url_decode(jwt.substr(0, first)), ec);
  if (ec || !header.is_object()) return std::nullopt;
  auto claims = json::parse(base64url_decode(jwt.substr(first + 1, second - first - 1)), ec);
  if (ec || !claims.is_object()) return std::nullopt;
  const auto* alg = header.get_object().if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "RS256") return std::nullopt;

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())),
                                                BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                                          EVP_PKEY_free);
  if (!key) return std::nullopt;
  const std::string signing_input = jwt.substr(0, second);
  const std::string signature = base64url_decode(jwt.substr(second + 1));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return std::nullopt;
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
    return std::nullopt;
  }
  return VerifiedJwt{header.get_object(), claims.get_object()};
}

}  // namespace sluice::testkit
