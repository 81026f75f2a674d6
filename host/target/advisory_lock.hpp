// The number an advisory lock key is taken under, the same in every process
// and on every engine: 64-bit FNV-1a of the key's bytes. Two keys sharing a
// number only make one wait for the other, never write together.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::host {

inline uint64_t advisory_lock_id(std::string_view key) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace sluice::host
