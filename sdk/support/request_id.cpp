#include <sluice/support/http_client.hpp>

#include <cstdint>
#include <cstdio>
#include <random>

namespace sluice::support {

// Version 4 (RFC 9562 section 5.4): 122 random bits, the version and variant
// bits set. One generator per thread, seeded from the OS once.
std::string random_request_id() {
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  const uint64_t high = generator(), low = generator();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | (low >> 48 & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

}  // namespace sluice::support
