// TLS client contexts, made in one place for every HTTPS client Sluice has
// (the support library's HttpClient, the CLI posting to a daemon).
//
// The context for `host` trusts the system store plus `ca_file` (a PEM
// file; "" = the system store only) and requires a trusted, unexpired chain
// (VERIFY_RELAXED on a client). The host name is checked by OpenSSL during
// the handshake, for every host: Poco skips its own check for loopback
// names, where a trusted certificate for another host would otherwise
// receive the request and its credentials. One context per host, since the
// name to check is the context's.
//
// Made once per process and shared by every session to that host: making
// one loads and parses the whole system CA bundle (about 15 ms of CPU), and
// a fetch pool of 16 workers paid that 16 times per sync, with the lock
// traffic of OpenSSL's decoders, 9% of a sync's CPU at 300 k rows (perf,
// bench_http). An SSL_CTX is safe to share between threads once set up;
// nothing changes it after this returns. A CA file is keyed with its size
// and modification time, so a file replaced in place is read again.
// Throws HttpError (config) when the host name cannot be checked.
// Not part of the author API (HttpClient is): shared by the support
// library and the host.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace sluice::support {

Poco::Net::Context::Ptr tls_client_context(const std::string& host, const std::string& ca_file = "");

}  // namespace sluice::support
