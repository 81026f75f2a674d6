#include "host/cli/cli.hpp"
#include "host/plugin/call_guard.hpp"

int main(int argc, char** argv) {
  // Before any plugin is loaded: a plugin that crashes or exits inside a
  // call gets one line naming it (host/plugin/call_guard.hpp).
  sluice::host::install_plugin_crash_report();
  return sluice::host::cli::run(argc, argv);
}
