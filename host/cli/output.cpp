#include "host/cli/output.hpp"

#include "host/config/secrets.hpp"

#include <sluice/detail/civil_date.hpp>
#include <sluice/support/timestamp.hpp>

#include "host/plugin/write_fully.hpp"

#include <boost/json.hpp>
#include <time.h>
#include <unistd.h>

#include <algorithm>
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
// A copy of log_plugin a signal handler may read: plugin names are at most
// 64 bytes of [a-z0-9_] (plugin_name.hpp), so they need no JSON escaping.
char signal_safe_plugin[72] = {};
std::atomic<int> signal_line_fd{STDERR_FILENO};

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
  const size_t n = std::min(plugin.size(), sizeof signal_safe_plugin - 1);
  signal_safe_plugin[0] = '\0';  // never a half-written name with a stale end
  for (size_t i = n; i-- > 0;) signal_safe_plugin[i] = plugin[i];
  log_plugin = std::move(plugin);
}

void write_error_line_from_signal(const char* message) {
  char line[256];
  size_t n = 0;
  auto put = [&](const char* text) {
    while (*text && n < sizeof line - 1) line[n++] = *text++;
  };
  auto put_number = [&](int64_t value, int width) {
    char digits[20];
    for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
    for (int i = 0; i < width && n < sizeof line - 1; ++i) line[n++] = digits[i];
  };
  if (current_format.load() == LogFormat::json) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    const auto [year, month, day] = support::civil_from_days(now.tv_sec / 86400);
    const int64_t second_of_day = now.tv_sec % 86400;
    put("{\"timestamp\":\"");
    put_number(year, 4);
    put("-");
    put_number(month, 2);
    put("-");
    put_number(day, 2);
    put("T");
    put_number(second_of_day / 3600, 2);
    put(":");
    put_number(second_of_day / 60 % 60, 2);
    put(":");
    put_number(second_of_day % 60, 2);
    put(".");
    put_number(now.tv_nsec / 1000000, 3);
    put("Z\",\"level\":\"error\",\"message\":\"");
    put(message);
    put("\"");
    if (signal_safe_plugin[0]) {
      put(",\"plugin\":\"");
      put(signal_safe_plugin);
      put("\"");
    }
    put("}");
  } else {
    put("error: ");
    put(message);
  }
  line[n++] = '\n';
  write_fully(signal_line_fd.load(), line, n);
}

void set_signal_line_fd(int fd) { signal_line_fd.store(fd); }

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
