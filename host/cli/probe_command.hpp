// The child side of plugin probing (host/plugin/plugin_probe.hpp): the
// hidden `sluice __probe FILE` that `sluice plugins` runs once per file.
#pragma once

namespace sluice::host::cli {

// Loads FILE in this process, writes the one-line JSON answer to the
// original stdout and _exit()s 0. The plugin's own writes to stdout go to
// /dev/null, so they cannot spoil the answer. The process dies with its
// parent and never dumps core. Does not return.
[[noreturn]] void probe_command(const char* file);

}  // namespace sluice::host::cli
