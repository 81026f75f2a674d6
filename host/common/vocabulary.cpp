#include "host/common/vocabulary.hpp"

#include <sluice/detail/names.hpp>

namespace sluice::host {

static_assert(static_cast<size_t>(SyncMode::incremental_append_dedup) + 1 == sluice::detail::kSyncModeCount,
              "SyncMode must list the modes in the order of the shared name table");

const char* to_string(ErrorKind kind) { return sluice::detail::error_kind_name(static_cast<int>(kind)); }

ErrorKind error_kind_from_abi(sluice_error_kind kind) {
  if (kind < SLUICE_ERROR_KIND_UNKNOWN || kind > SLUICE_ERROR_KIND_INTERNAL) return ErrorKind::unknown;
  return static_cast<ErrorKind>(kind);
}

const std::vector<SyncMode>& all_sync_modes() {
  static const std::vector<SyncMode> modes = {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append,
                                              SyncMode::incremental_append, SyncMode::incremental_append_dedup};
  return modes;
}

// SyncMode's enumerators are in the order of the shared name table, whose
// index i is the SLUICE_MODE_* bit 1 << i.
const char* to_string(SyncMode mode) { return sluice::detail::kSyncModeNames[static_cast<size_t>(mode)]; }

std::optional<SyncMode> parse_sync_mode(std::string_view text) {
  for (SyncMode mode : all_sync_modes()) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

sluice_sync_modes mode_bit(SyncMode mode) { return 1u << static_cast<unsigned>(mode); }

std::string mode_list(const std::vector<SyncMode>& modes) {
  std::string out;
  for (SyncMode mode : modes) out += (out.empty() ? "" : ", ") + std::string(to_string(mode));
  return out.empty() ? "none" : out;
}

std::string join_path(const FieldPath& path) {
  std::string out;
  for (const auto& part : path) out += (out.empty() ? "" : ".") + part;
  return out;
}

boost::json::array field_path_to_json(const FieldPath& path) {
  boost::json::array out;
  for (const auto& part : path) out.emplace_back(part);
  return out;
}

std::optional<FieldPath> field_path_from_json(const boost::json::value& value) {
  const auto* array = value.if_array();
  if (!array) return std::nullopt;
  FieldPath path;
  for (const auto& part : *array) {
    if (!part.is_string()) return std::nullopt;
    path.emplace_back(part.get_string());
  }
  return path;
}

}  // namespace sluice::host
