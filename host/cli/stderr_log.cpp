#include "host/cli/stderr_log.hpp"

#include "host/cli/output.hpp"

#include <string>

namespace sluice::host::cli {

std::string log_line(int32_t level, std::string_view message) {
  const char* prefix = level <= SLUICE_LOG_ERROR ? "error: " : level == SLUICE_LOG_WARN ? "warning: "
                     : level == SLUICE_LOG_INFO ? "info: " : "debug: ";
  // One line per message: a plugin's embedded newlines must not forge lines.
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return prefix + line;
}

void StderrLog::log(int32_t level, std::string_view message) {
  if (level <= max_level_) print_error_line(log_line(level, message));
}

}  // namespace sluice::host::cli
