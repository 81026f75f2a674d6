#include "testkit/keys.hpp"

#include <boost/json.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace sluice::testkit {

namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string drain(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Key read_key(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) throw std::runtime_error("testkit: cannot read a generated key");
  return Key(key, EVP_PKEY_free);
}

RsaKeyPair to_pems(EVP_PKEY* key) {
  Bio priv(BIO_new(BIO_s_mem()), BIO_free);
  Bio pub(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(priv.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub.get(), key);
  return {drain(priv.get()), drain(pub.get())};
}

}  // namespace

std::string RsaKeyPair::encrypted_private_pem(const std::string& passphrase) const {
  Key key = read_key(private_pem);
  Bio out(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                static_cast<int>(passphrase.size()), nullptr, nullptr);
  return drain(out.get());
}

RsaKeyPair generate_rsa_key(int bits) {
  Key key(EVP_RSA_gen(static_cast<unsigned>(bits)), EVP_PKEY_free);
  if (!key) throw std::runtime_error("testkit: RSA key generation failed");
  return to_pems(key.get());
}

std::string service_account_json(const std::string& client_email, const RsaKeyPair& key,
                                 const std::string& token_uri, const std::string& project_id) {
  boost::json::object file{{"type", "service_account"},
                           {"project_id", project_id},
                           {"private_key_id", "0123456789abcdef0123456789abcdef01234567"},
                           {"private_key", key.private_pem},
                           {"client_email", client_email},
                           {"client_id", "100000000000000000001"},
                           {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
                           {"token_uri", token_uri}};
  return boost::json::serialize(file);
}

TlsIdentity generate_certificate(const CertificateSpec& spec) {
  Key key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.valid_from);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.valid_until);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                            std::pair{NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign"},
                            std::pair{NID_subject_alt_name, spec.names.c_str()}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("testkit: signing failed");
  Bio cert_out(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(cert_out.get(), cert.get());
  return {to_pems(key.get()).private_pem, drain(cert_out.get())};
}

}  // namespace sluice::testkit
