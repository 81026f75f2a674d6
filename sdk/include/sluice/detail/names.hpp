// The names the ABI's numbers go by in JSON and in messages: error kinds
// ("auth", indexed by SLUICE_ERROR_KIND_*) and sync modes (indexed by the bit
// position of SLUICE_MODE_*). Shared by the SDK and the host, which each keep
// their own enums, so the two sides can never spell a name differently.
// Not part of the author API.
#pragma once

#include <sluice/plugin.h>

#include <cstddef>

namespace sluice::detail {

inline constexpr const char* kErrorKindNames[] = {"unknown",      "config", "auth",    "transient",
                                                  "rate_limited", "source", "internal"};
static_assert(sizeof(kErrorKindNames) / sizeof(*kErrorKindNames) == SLUICE_ERROR_KIND_INTERNAL + 1);

// An error kind's name; "unknown" for a kind this build does not know.
constexpr const char* error_kind_name(int kind) {
  return kind >= 0 && kind <= SLUICE_ERROR_KIND_INTERNAL ? kErrorKindNames[kind] : kErrorKindNames[0];
}

// Sync mode i is the SLUICE_MODE_* bit 1 << i.
inline constexpr const char* kSyncModeNames[] = {"full_refresh_overwrite", "full_refresh_append",
                                                 "incremental_append", "incremental_append_dedup"};
inline constexpr size_t kSyncModeCount = sizeof(kSyncModeNames) / sizeof(*kSyncModeNames);
static_assert(SLUICE_MODE_INCREMENTAL_APPEND_DEDUP == 1u << (kSyncModeCount - 1));

}  // namespace sluice::detail
