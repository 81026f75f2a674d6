// Loads plugin files in child processes, so that a plugin whose static
// constructor or spec() crashes, aborts, exits or hangs is reported as
// rejected instead of taking the caller down (`sluice plugins`).
//
// The protocol: the parent runs `EXECUTABLE __probe FILE` with stdin and
// stderr on /dev/null and stdout on a pipe. The child loads FILE with
// load_plugin(), writes exactly one JSON line and exits 0 at once (no static
// destructors run):
//   {"plugin": {<describe_plugin(plugin, false)>}}  the plugin loaded
//   {"rejected": "<one-line reason>"}               load_plugin() refused it
// Anything else (a signal, another exit status, no answer, the timeout) is
// the parent's to describe.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

// The hidden subcommand the child runs (see host/cli/probe_command.cpp).
inline constexpr const char* kProbeCommand = "__probe";

struct ProbeOptions {
  // The sluice binary itself by default.
  std::filesystem::path executable = "/proc/self/exe";
  // How long each child may take from start to exit; then it is killed.
  std::chrono::milliseconds timeout{10'000};
  // Children running at once.
  size_t parallel = 4;
};

struct ProbeAnswer {
  std::filesystem::path file;
  std::optional<boost::json::object> plugin;  // set when the plugin loaded
  std::string rejected;                       // otherwise, why: one line
};

// One answer per file, in the order given. Never throws for a file's sake:
// a child that cannot even be started is an answer too ("cannot probe: ...").
// Every child has been reaped when this returns.
std::vector<ProbeAnswer> probe_plugin_files(const std::vector<std::filesystem::path>& files,
                                            const ProbeOptions& options);

// "10 s", "0.5 s": a timeout as the rejection line shows it.
std::string seconds_text(std::chrono::milliseconds duration);

}  // namespace sluice::host
