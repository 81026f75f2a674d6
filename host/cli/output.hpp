// Everything the CLI prints goes through here, so known secret values are
// masked in every output, log line and error message, whatever the command.
#pragma once

#include <string_view>

namespace sluice::host::cli {

// stdout: results (tables, JSON).
void print(std::string_view text);
// stderr: one line per call, with a newline appended.
void print_error_line(std::string_view text);
// stderr, no newline (live progress lines).
void print_stderr_raw(std::string_view text);

bool stderr_is_terminal();

}  // namespace sluice::host::cli
