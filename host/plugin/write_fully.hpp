// write(2) until everything is written, for the places that cannot use
// stdio: signal and exit handlers, and a probe child's answer.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace sluice::host {

// Writes size bytes of data to fd, retrying short writes and EINTR. Gives up
// silently on any other error (there is nobody left to tell).
// Async-signal-safe.
inline void write_fully(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace sluice::host
