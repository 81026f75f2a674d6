// Which target a command writes to.
#pragma once

#include <optional>
#include <string>

namespace sluice::host::cli {

inline constexpr const char* kDefaultTargetUrl = "sqlite://./sluice.db";

// --target wins, then the connection's "target", then the embedded default.
inline std::string choose_target_url(const std::optional<std::string>& option, const std::string& connection) {
  if (option && !option->empty()) return *option;
  return connection.empty() ? kDefaultTargetUrl : connection;
}

}  // namespace sluice::host::cli
