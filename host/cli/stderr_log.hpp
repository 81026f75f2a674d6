// Plugin log lines printed to stderr (masked), for commands without a
// progress display.
#pragma once

#include "host/plugin/host_callbacks.hpp"

namespace sluice::host::cli {

// "info: message", "warning: message", ... ; lines above max_level dropped.
std::string log_line(int32_t level, std::string_view message);

class StderrLog : public LogOnlyCallbacks {
 public:
  explicit StderrLog(int32_t max_level) : max_level_(max_level) {}
  void log(int32_t level, std::string_view message) override;

 private:
  int32_t max_level_;
};

}  // namespace sluice::host::cli
