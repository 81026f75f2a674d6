#include "host/cli/output.hpp"

#include "host/config/secrets.hpp"

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace sluice::host::cli {

namespace {
std::mutex output_mutex;  // plugin logs may arrive from any thread
}

void print(std::string_view text) {
  std::string masked = Redactor::instance().apply(text);
  std::lock_guard lock(output_mutex);
  std::fwrite(masked.data(), 1, masked.size(), stdout);
  std::fflush(stdout);
}

void print_error_line(std::string_view text) {
  std::string masked = Redactor::instance().apply(text);
  masked += '\n';
  std::lock_guard lock(output_mutex);
  std::fwrite(masked.data(), 1, masked.size(), stderr);
}

void print_stderr_raw(std::string_view text) {
  std::string masked = Redactor::instance().apply(text);
  std::lock_guard lock(output_mutex);
  std::fwrite(masked.data(), 1, masked.size(), stderr);
  std::fflush(stderr);
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace sluice::host::cli
