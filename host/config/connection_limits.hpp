// How large a connection file and what it names may be (docs/connection-file.md).
// Bounds, so that a broken or hostile file ends in one clear line instead of
// exhausting memory: /dev/zero as a secret file used to end in std::bad_alloc.
// Each is far above any real connection: a config is a few kilobytes, a
// service-account key or a PEM certificate chain a few more.
#pragma once

#include <cstddef>
#include <string>

namespace sluice::host {

inline constexpr std::size_t kMaxConnectionFileBytes = std::size_t{16} << 20;  // the connection file
inline constexpr std::size_t kMaxStringBytes = std::size_t{1} << 20;           // any string or name in it
inline constexpr std::size_t kMaxSecretFileBytes = std::size_t{1} << 20;       // a {"$file": PATH} secret

// A limit as messages print it: "16 MiB", "1 MiB", "512 KiB", "100 bytes".
inline std::string size_text(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace sluice::host
