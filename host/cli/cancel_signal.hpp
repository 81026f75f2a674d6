// Ctrl-C (SIGINT) and SIGTERM: the documented cancel (exit code 130, one
// line) from the first line of main() to the end, whatever the command is
// doing. Before this, only a running sync handled them, so a SIGTERM in a
// process's first ~10 ms (loading the plugin, validating, opening the target)
// killed it by signal with no message (issue 20).
//
// Two phases:
//   - immediate (from install_cancel_handlers() on): the signal prints
//     "error: cancelled (SIGTERM)" and ends the process with exit code 130 at
//     once. Nothing in this phase commits anything that a rollback would keep;
//   - cooperative (from cooperative_cancel() on, used by a sync): the first
//     signal only sets the returned flag, which the sync engine polls to roll
//     back to its last checkpoint and finish with 130 itself; a second signal
//     of the same kind kills the process the default way.
#pragma once

#include <atomic>

namespace sluice::host::cli {

// Installs the handlers and unblocks SIGINT and SIGTERM, so that one that
// arrived before main() while blocked (the mask and pending signals survive
// exec) is handled now rather than never. Call it first in main().
void install_cancel_handlers();

// Switches to the cooperative phase and returns the flag the signals set.
// Call it right before handing the flag to the work that polls it.
const std::atomic<bool>& cooperative_cancel();

}  // namespace sluice::host::cli
