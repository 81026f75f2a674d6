#include "host/cli/cancel_signal.hpp"

#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/plugin/signal_name.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace sluice::host::cli {

namespace {

// Lock-free atomics: the only state a signal handler may touch.
std::atomic<bool> g_cooperative{false};
std::atomic<bool> g_cancelled{false};
static_assert(std::atomic<bool>::is_always_lock_free);

constexpr int kCancelSignals[] = {SIGINT, SIGTERM};

void set_handler(int signal_number, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // the cooperative phase lets interrupted calls carry on
  sigaction(signal_number, &action, nullptr);
}

// Async-signal-safe: atomics, write(2), sigaction(2), _exit(2).
extern "C" void on_cancel_signal(int signal_number) {
  if (g_cooperative.load()) {
    g_cancelled.store(true);
    set_handler(signal_number, SIG_DFL);
    return;
  }
  // "error: cancelled (SIGTERM)", as text or as a JSON line (--log-format).
  char message[64] = "cancelled (";
  size_t n = std::strlen(message);
  for (const char* name = signal_name(signal_number); *name && n < sizeof message - 2; ++name) message[n++] = *name;
  message[n++] = ')';
  message[n] = '\0';
  write_error_line_from_signal(message);
  ::_exit(kExitCancelled);
}

}  // namespace

void install_cancel_handlers() {
  sigset_t unblock;
  sigemptyset(&unblock);
  for (int signal_number : kCancelSignals) {
    set_handler(signal_number, on_cancel_signal);
    sigaddset(&unblock, signal_number);
  }
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
}

const std::atomic<bool>& cooperative_cancel() {
  g_cooperative.store(true);
  return g_cancelled;
}

}  // namespace sluice::host::cli
