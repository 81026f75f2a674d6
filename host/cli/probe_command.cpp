#include "host/cli/probe_command.hpp"

#include "host/cli/plugin_description.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_registry.hpp"
#include "host/plugin/write_fully.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace sluice::host::cli {

namespace {

// Moves stdout out of the plugin's reach; returns the fd the answer goes to.
int take_stdout() {
  int answer_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::close(null_fd);
  }
  return answer_fd;
}

}  // namespace

void probe_command(const char* file) {
  // A hung probe must not outlive a killed `sluice plugins`, and a crashing
  // plugin is reported by its signal, not by a core file per listing.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_DUMPABLE, 0);
  // The parent reports a Ctrl-C: a probe just dies of it, without a line of
  // its own (main() installed the cancel handlers before dispatching here).
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  int answer_fd = take_stdout();
  boost::json::object answer;
  try {
    auto plugin = load_plugin(file);
    answer["plugin"] = describe_plugin(*plugin, false);
  } catch (const PluginLoadError& e) {
    answer["rejected"] = e.what();
  } catch (const std::exception& e) {
    answer["rejected"] = std::string("unexpected load failure: ") + e.what();
  }
  std::string line = boost::json::serialize(answer) + "\n";
  write_fully(answer_fd, line.data(), line.size());
  // No static destructors: the plugin's could crash or hang after it answered.
  ::_exit(0);
}

}  // namespace sluice::host::cli
