// Everything the CLI prints goes through here, so known secret values are
// masked in every output, log line and error message, whatever the command.
#pragma once

#include <string>
#include <string_view>

namespace sluice::host::cli {

// stdout: results (tables, JSON).
void print(std::string_view text);
// stderr: one line per call, with a newline appended. `stream` names the
// stream the line is about ("" when none).
void print_error_line(std::string_view text, std::string_view stream = {});
// stderr, no newline (live progress lines).
void print_stderr_raw(std::string_view text);

bool stderr_is_terminal();

// How stderr lines look (--log-format). text: as given ("error: ...",
// "warning: ...", "sync: ..."). json: one object per line,
//   {"timestamp":"2026-12-07T01:50:00.123Z","level":"error","message":"...",
//    "plugin":"scripted","stream":"users"}
// the level taken from the text's "error: " / "warning: " / "info: " /
// "debug: " prefix (which the message then drops; anything else is info),
// "plugin" once a command has named it, "stream" when the line is about one.
// Secrets are masked in the message before it is encoded, and again after.
enum class LogFormat { text, json };
void set_log_format(LogFormat format);
LogFormat log_format();
void set_log_plugin(std::string plugin);

// For a signal handler: async-signal-safe (no allocation, lock or stdio).
// Writes "error: MESSAGE" to stderr in the current --log-format, the JSON
// form with its timestamp and the plugin once a command has named it.
// MESSAGE must need no JSON escaping and hold no secret.
void write_error_line_from_signal(const char* message);
// Where write_error_line_from_signal writes (default: descriptor 2): a
// command that points descriptor 2 elsewhere for a while (test-plugin
// captures a plugin's output) keeps the cancel line on the real stderr.
void set_signal_line_fd(int fd);

// The JSON form of one stderr line at a given time (unit-tested; the
// timestamp is UTC RFC 3339 with milliseconds).
std::string json_log_line(std::string_view text, std::string_view stream, std::string_view plugin,
                          int64_t unix_micros);

}  // namespace sluice::host::cli
