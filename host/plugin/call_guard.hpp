// Last words for a plugin that takes the process down. While a
// PluginCallGuard is alive the host is inside a plugin call, and:
//  - a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) prints one line
//      error: plugin crashed: synthetic read (stream usage_events) died with SIGSEGV
//    to stderr, then the signal's default action runs (the process dies with
//    that signal, core dump included);
//  - exit() or quick_exit() called by the plugin prints
//      error: plugin exited: synthetic read (stream usage_events) called exit() instead of returning
//    and the process exits 1, never the status the plugin chose. (_exit()
//    cannot be caught; the shell sees its status.)
// Outside a guard nothing changes: signals and exit() behave as usual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::host {

// Installs the signal handlers (on an alternate stack, so a stack overflow is
// reported too). Call once at startup, before any plugin is loaded; calling
// it again is harmless. Without it guards still catch exit(), not signals.
void install_plugin_crash_report();

// Marks the current thread as inside a call into `plugin`. `call` is the
// function ("load", "check", "discover", "read"); `stream` the stream(s) a
// read covers, or empty. The lines are formatted here, before the call, so
// the signal handler only copies and writes bytes. Guards nest; the
// innermost one on the crashing thread names the call (a crash on a thread
// the plugin started names the newest call in progress on any thread, and
// says so). Calls on different threads (parallel streams) end in any order.
class PluginCallGuard {
 public:
  PluginCallGuard(std::string_view plugin, std::string_view call, std::string_view stream = {});
  ~PluginCallGuard();
  PluginCallGuard(const PluginCallGuard&) = delete;
  PluginCallGuard& operator=(const PluginCallGuard&) = delete;

  // What the lines say the plugin was doing: "synthetic read (stream usage_events)".
  std::string_view subject() const { return subject_; }

 private:
  friend struct CallGuardAccess;
  std::string subject_;
  std::string crash_prefix_;  // "error: plugin crashed: SUBJECT died with "
  std::string exit_line_;     // the whole exit() line, newline included
  const PluginCallGuard* outer_on_thread_;
  size_t slot_ = SIZE_MAX;  // its place among the process's live guards
};

// The streams a configured catalog (read()'s input) names, as the sync shows
// them: "usage_events", "billing.invoices", or several joined by ", ". Empty
// if the text is not a catalog.
std::string catalog_stream_names(std::string_view configured_catalog_json);

}  // namespace sluice::host
