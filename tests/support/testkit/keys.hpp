// Test credentials generated at run time with OpenSSL: RSA key pairs,
// Google service-account key files, and a self-signed TLS certificate.
#pragma once

#include <string>

namespace sluice::testkit {

struct RsaKeyPair {
  std::string private_pem;  // PKCS#8, unencrypted
  std::string public_pem;   // SubjectPublicKeyInfo
  // The private key as encrypted PKCS#8 with `passphrase` (AES-256-CBC).
  std::string encrypted_private_pem(const std::string& passphrase) const;
};

RsaKeyPair generate_rsa_key(int bits = 2048);

// A service-account key file as the Google Cloud console writes it.
std::string service_account_json(const std::string& client_email, const RsaKeyPair& key,
                                 const std::string& token_uri, const std::string& project_id = "test-project");

struct TlsIdentity {
  std::string key_pem;
  std::string cert_pem;  // self-signed, CA:TRUE
};

// What a generated certificate says: the names it is for (subjectAltName
// syntax), its validity in seconds from now, and its subject's CN and serial
// number. Two servers whose certificates one trust store holds need distinct
// subjects and serials (OpenSSL picks the issuer by subject: with the same
// one, the wrong certificate is tried and the chain fails).
struct CertificateSpec {
  std::string names = "IP:127.0.0.1,DNS:localhost";
  long valid_from = -3600;
  long valid_until = 7 * 24 * 3600;
  std::string common_name = "127.0.0.1";
  long serial = 1;
};
TlsIdentity generate_certificate(const CertificateSpec& spec);
inline TlsIdentity generate_localhost_certificate() { return generate_certificate({}); }

}  // namespace sluice::testkit
