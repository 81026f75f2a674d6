// Sync modes as the host shows them and as a plugin's info block declares
// them (SLUICE_MODE_* bits, plugin.h); the names themselves are the SDK's
// (to_string / parse_sync_mode in sdk.hpp).
#pragma once

#include <sluice/plugin.h>
#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace sluice::host {

// The bit a plugin sets in sluice_plugin_info::sync_modes when some stream
// can serve `mode`.
inline sluice_sync_modes mode_bit(SyncMode mode) {
  switch (mode) {
    case SyncMode::full_refresh_overwrite: return SLUICE_MODE_FULL_REFRESH_OVERWRITE;
    case SyncMode::full_refresh_append: return SLUICE_MODE_FULL_REFRESH_APPEND;
    case SyncMode::incremental_append: return SLUICE_MODE_INCREMENTAL_APPEND;
    case SyncMode::incremental_append_dedup: return SLUICE_MODE_INCREMENTAL_APPEND_DEDUP;
  }
  return 0;
}

// "full_refresh_overwrite, incremental_append", or "none" for no modes.
inline std::string mode_list(const std::vector<SyncMode>& modes) {
  std::string out;
  for (SyncMode mode : modes) out += (out.empty() ? "" : ", ") + std::string(to_string(mode));
  return out.empty() ? "none" : out;
}

}  // namespace sluice::host
