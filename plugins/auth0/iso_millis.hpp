// Auth0 timestamps (ISO-8601 UTC with milliseconds, 2024-05-01T10:11:12.345Z)
// as milliseconds since the epoch, for splitting updated_at windows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace auth0 {

// Accepts YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[.fraction]Z (fraction cut to ms).
std::optional<int64_t> parse_iso_millis(std::string_view text);
std::string format_iso_millis(int64_t millis);  // YYYY-MM-DDTHH:MM:SS.mmmZ

}  // namespace auth0
