#include "host/cli/output.hpp"

#include "host/config/secrets.hpp"

#include <sluice/support/timestamp.hpp>

#include <boost/json.hpp>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace sluice::host::cli {

namespace {
std::mutex output_mutex;  // plugin logs may arrive from any thread
std::atomic<LogFormat> current_format{LogFormat::text};
std::string log_plugin;  // guarded by output_mutex

int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void print(std::string_view text) {
  std::string masked = Redactor::instance().apply(text);
  std::lock_guard lock(output_mutex);
  std::fwrite(masked.data(), 1, masked.size(), stdout);
  std::fflush(stdout);
}

void set_log_format(LogFormat format) { current_format = format; }
LogFormat log_format() { return current_format; }

void set_log_plugin(std::string plugin) {
  std::lock_guard lock(output_mutex);
  log_plugin = std::move(plugin);
}

std::string json_log_line(std::string_view text, std::string_view stream, std::string_view plugin,
                          int64_t unix_micros) {
  static constexpr std::pair<std::string_view, std::string_view> kLevels[] = {
      {"error: ", "error"}, {"warning: ", "warn"}, {"info: ", "info"}, {"debug: ", "debug"}};
  std::string_view level = "info";
  for (const auto& [prefix, name] : kLevels) {
    if (text.substr(0, prefix.size()) == prefix) {
      level = name;
      text.remove_prefix(prefix.size());
      break;
    }
  }
  boost::json::object line{
      {"timestamp", support::format_rfc3339({unix_micros}, 3)}, {"level", level}, {"message", text}};
  if (!plugin.empty()) line["plugin"] = plugin;
  if (!stream.empty()) line["stream"] = stream;
  return boost::json::serialize(line);
}

void print_error_line(std::string_view text, std::string_view stream) {
  std::string masked = Redactor::instance().apply(text);
  if (current_format == LogFormat::json) {
    std::string plugin;
    {
      std::lock_guard lock(output_mutex);
      plugin = log_plugin;
    }
    masked = Redactor::instance().apply(json_log_line(masked, Redactor::instance().apply(stream), plugin,
                                                      now_micros()));
  }
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
