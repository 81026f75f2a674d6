#include "host/common/vocabulary.hpp"

namespace sluice::host {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::config: return "config";
    case ErrorKind::auth: return "auth";
    case ErrorKind::transient: return "transient";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::source: return "source";
    case ErrorKind::internal: return "internal";
    case ErrorKind::unknown: break;
  }
  return "unknown";
}

ErrorKind error_kind_from_abi(sluice_error_kind kind) {
  if (kind < SLUICE_ERROR_KIND_UNKNOWN || kind > SLUICE_ERROR_KIND_INTERNAL) return ErrorKind::unknown;
  return static_cast<ErrorKind>(kind);
}

const std::vector<SyncMode>& all_sync_modes() {
  static const std::vector<SyncMode> modes = {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append,
                                              SyncMode::incremental_append, SyncMode::incremental_append_dedup};
  return modes;
}

const char* to_string(SyncMode mode) {
  switch (mode) {
    case SyncMode::full_refresh_overwrite: return "full_refresh_overwrite";
    case SyncMode::full_refresh_append: return "full_refresh_append";
    case SyncMode::incremental_append: return "incremental_append";
    case SyncMode::incremental_append_dedup: return "incremental_append_dedup";
  }
  return "full_refresh_overwrite";
}

std::optional<SyncMode> parse_sync_mode(std::string_view text) {
  for (SyncMode mode : all_sync_modes()) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

sluice_sync_modes mode_bit(SyncMode mode) {
  switch (mode) {
    case SyncMode::full_refresh_overwrite: return SLUICE_MODE_FULL_REFRESH_OVERWRITE;
    case SyncMode::full_refresh_append: return SLUICE_MODE_FULL_REFRESH_APPEND;
    case SyncMode::incremental_append: return SLUICE_MODE_INCREMENTAL_APPEND;
    case SyncMode::incremental_append_dedup: return SLUICE_MODE_INCREMENTAL_APPEND_DEDUP;
  }
  return 0;
}

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
