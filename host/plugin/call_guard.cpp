#include "host/plugin/call_guard.hpp"

#include "host/plugin/signal_name.hpp"
#include "host/plugin/write_fully.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace sluice::host {

// Lets the handlers below read a guard's private lines.
struct CallGuardAccess {
  static const std::string& crash_prefix(const PluginCallGuard& g) { return g.crash_prefix_; }
  static const std::string& exit_line(const PluginCallGuard& g) { return g.exit_line_; }
};

namespace {

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

// The innermost guard of this thread. Initial-exec TLS: reading it in a
// signal handler never allocates.
thread_local const PluginCallGuard* t_innermost __attribute__((tls_model("initial-exec"))) = nullptr;

// Every live guard of the process, one slot each (for crashes on threads a
// plugin started, and exit() from them). Guards of parallel streams end in
// any order, so this is a set, not a stack: a guard claims the lowest free
// slot and clears its own. Lock-free, so the handlers can read it.
constexpr size_t kGuardSlots = 256;
std::atomic<const PluginCallGuard*> g_live[kGuardSlots];
static_assert(std::atomic<const PluginCallGuard*>::is_always_lock_free);

// The newest live guard of any thread (the highest claimed slot), or null.
const PluginCallGuard* any_live_guard() {
  for (size_t i = kGuardSlots; i-- > 0;) {
    if (const PluginCallGuard* guard = g_live[i].load()) return guard;
  }
  return nullptr;
}

// Only the first crashing thread speaks.
std::atomic_flag g_reported = ATOMIC_FLAG_INIT;

// Appends text to line[used..] without overflowing; returns the new length.
size_t append(char* line, size_t capacity, size_t used, const char* text, size_t size) {
  size_t room = capacity - used;
  size_t n = size < room ? size : room;
  std::memcpy(line + used, text, n);
  return used + n;
}

// Async-signal-safe: reads two pointers, copies bytes, write(2), raise(3).
extern "C" void on_fatal_signal(int signal_number) {
  int saved_errno = errno;
  const PluginCallGuard* guard = t_innermost;
  bool other_thread = false;
  if (!guard) {
    guard = any_live_guard();
    other_thread = guard != nullptr;
  }
  if (guard && !g_reported.test_and_set()) {
    char line[1024];
    constexpr size_t kRoom = sizeof line - 1;  // the newline always fits
    const std::string& prefix = CallGuardAccess::crash_prefix(*guard);
    const char* name = signal_name(signal_number);
    static const char kOther[] = " (on another thread)";
    size_t used = append(line, kRoom, 0, prefix.data(), prefix.size());
    used = append(line, kRoom, used, name, std::strlen(name));
    if (other_thread) used = append(line, kRoom, used, kOther, sizeof kOther - 1);
    line[used++] = '\n';
    write_fully(STDERR_FILENO, line, used);
  }
  // The signal stays blocked until this handler returns; then the default
  // action ends the process with it, exactly as if we were not here.
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
  errno = saved_errno;
}

// Runs first among the exit handlers registered before it (see
// register_exit_hooks): a plugin's exit(0) must not look like success.
extern "C" void on_exit_during_call() {
  const PluginCallGuard* guard = t_innermost ? t_innermost : any_live_guard();
  if (!guard) return;
  const std::string& line = CallGuardAccess::exit_line(*guard);
  write_fully(STDERR_FILENO, line.data(), line.size());
  ::_exit(1);
}

// Registered at the first guard, not at startup: exit handlers run in reverse
// order of registration, so this one runs before the destructors of every
// static built before the first plugin call (the target, the log, ...),
// which could otherwise crash under threads that are still running.
bool register_exit_hooks() {
  std::atexit(on_exit_during_call);
  std::at_quick_exit(on_exit_during_call);
  return true;
}

std::string stream_display(const boost::json::object& stream) {
  const auto* name = stream.if_contains("name");
  if (!name || !name->is_string()) return "";
  const auto* ns = stream.if_contains("namespace");
  std::string out = ns && ns->is_string() && !ns->as_string().empty() ? std::string(ns->as_string()) + "." : "";
  return out + std::string(name->as_string());
}

}  // namespace

void install_plugin_crash_report() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  // A plugin that overflows its stack has no stack left to report on.
  static char alternate_stack[64 * 1024];
  stack_t stack{};
  stack.ss_sp = alternate_stack;
  stack.ss_size = sizeof alternate_stack;
  sigaltstack(&stack, nullptr);

  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_ONSTACK;
  for (int signal_number : kFatalSignals) sigaction(signal_number, &action, nullptr);
}

PluginCallGuard::PluginCallGuard(std::string_view plugin, std::string_view call, std::string_view stream)
    : outer_on_thread_(t_innermost) {
  static const bool registered = register_exit_hooks();
  (void)registered;
  subject_ = std::string(plugin) + " " + std::string(call);
  if (!stream.empty()) {
    bool several = stream.find(", ") != std::string_view::npos;
    subject_ += std::string(several ? " (streams " : " (stream ") + std::string(stream) + ")";
  }
  crash_prefix_ = "error: plugin crashed: " + subject_ + " died with ";
  exit_line_ = "error: plugin exited: " + subject_ + " called exit() instead of returning\n";
  t_innermost = this;
  for (size_t i = 0; i < kGuardSlots; ++i) {
    const PluginCallGuard* free_slot = nullptr;
    if (g_live[i].compare_exchange_strong(free_slot, this)) {
      slot_ = i;
      break;
    }
  }
  // All slots taken (over 256 calls at once): this call is still named on
  // its own thread, only not on threads its plugin started.
}

PluginCallGuard::~PluginCallGuard() {
  t_innermost = outer_on_thread_;
  if (slot_ < kGuardSlots) g_live[slot_].store(nullptr);
}

std::string catalog_stream_names(std::string_view configured_catalog_json) {
  boost::json::error_code ec;
  boost::json::value catalog = boost::json::parse(configured_catalog_json, ec);
  if (ec || !catalog.is_object()) return "";
  const auto* streams = catalog.as_object().if_contains("streams");
  if (!streams || !streams->is_array()) return "";
  std::string out;
  for (const auto& stream : streams->as_array()) {
    if (!stream.is_object()) continue;
    std::string shown = stream_display(stream.as_object());
    if (!shown.empty()) out += (out.empty() ? "" : ", ") + shown;
  }
  return out;
}

}  // namespace sluice::host
