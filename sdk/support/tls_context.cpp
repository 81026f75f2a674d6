#include <sluice/detail/tls_context.hpp>

#include <sluice/support/http_error.hpp>

#include <Poco/Crypto/OpenSSLInitializer.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <map>
#include <mutex>

namespace sluice::support {

namespace {

// OpenSSL through Poco, set up on first use and torn down with this library's
// statics. Poco counts initializations and wants each one matched; a plugin
// is unloaded (dlclose) with Poco's crypto library, so an unmatched one left
// Poco's lock table behind (LeakSanitizer found it).
void initialize_ssl_once() {
  static const Poco::Crypto::OpenSSLInitializer openssl;
}

}  // namespace

Poco::Net::Context::Ptr tls_client_context(const std::string& host, const std::string& ca_file) {
  initialize_ssl_once();  // before the cache below: destroyed after it
  std::string key = host + '\n' + ca_file;
  if (!ca_file.empty()) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(ca_file, ec);
    const auto time = std::filesystem::last_write_time(ca_file, ec);
    key += '\n' + std::to_string(size) + '\n' + std::to_string(time.time_since_epoch().count());
  }
  static std::mutex mutex;
  static std::map<std::string, Poco::Net::Context::Ptr> contexts;
  std::lock_guard lock(mutex);
  auto& context = contexts[key];
  if (context) return context;
  // The contract is the header's: system store + ca_file, a trusted chain,
  // the host name checked by OpenSSL.
  Poco::Net::Context::Ptr made = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file,
                                                        Poco::Net::Context::VERIFY_RELAXED, 9, true);
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(made->sslContext());
  const bool checked = X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1 ||
                       (X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS),
                        X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1);
  if (!checked) throw HttpError(HttpFailure::config, 0, "cannot verify TLS for host " + host);
  context = made;
  return context;
}


}  // namespace sluice::support
