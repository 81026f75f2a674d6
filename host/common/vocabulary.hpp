// The host's own words for what crosses the plugin boundary as numbers or
// JSON strings: error kinds, sync modes, field paths. The host never
// includes the author-facing SDK headers, so a host-only change never
// touches what third parties compile against; the two sides agree through
// plugin.h's constants and one table of names (sluice/detail/names.hpp).
#pragma once

#include <sluice/plugin.h>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

enum class ErrorKind {
  unknown = SLUICE_ERROR_KIND_UNKNOWN,
  config = SLUICE_ERROR_KIND_CONFIG,
  auth = SLUICE_ERROR_KIND_AUTH,
  transient = SLUICE_ERROR_KIND_TRANSIENT,
  rate_limited = SLUICE_ERROR_KIND_RATE_LIMITED,
  source = SLUICE_ERROR_KIND_SOURCE,
  internal = SLUICE_ERROR_KIND_INTERNAL,
};
// "auth", "transient", ...; a kind outside the enum (a newer plugin) is "unknown".
const char* to_string(ErrorKind kind);
ErrorKind error_kind_from_abi(sluice_error_kind kind);

enum class SyncMode { full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_dedup };
const char* to_string(SyncMode mode);
std::optional<SyncMode> parse_sync_mode(std::string_view text);
inline bool is_incremental(SyncMode m) {
  return m == SyncMode::incremental_append || m == SyncMode::incremental_append_dedup;
}
// The SLUICE_MODE_* bit a plugin's info block sets when a stream can serve `mode`.
sluice_sync_modes mode_bit(SyncMode mode);
// "full_refresh_overwrite, incremental_append", or "none" for no modes.
std::string mode_list(const std::vector<SyncMode>& modes);
const std::vector<SyncMode>& all_sync_modes();

// A path into a record: {"a","b"} is record["a"]["b"].
using FieldPath = std::vector<std::string>;
std::string join_path(const FieldPath& path);  // "a.b"
boost::json::array field_path_to_json(const FieldPath& path);
// nullopt when `value` is not an array of strings.
std::optional<FieldPath> field_path_from_json(const boost::json::value& value);

}  // namespace sluice::host
