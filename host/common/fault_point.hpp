// Named kill points for crash tests. fault_point("NAME") kills the process
// with SIGKILL, as an operator's kill -9 or the OOM killer would, when the
// environment variable SLUICE_FAULT_POINT is "NAME" (the first time the
// point is reached) or "NAME:N" (the Nth time); otherwise it does nothing
// but compare (the variable is read once). Tests use it to stop a sync at
// an exact step that timers cannot hit reliably; docs/architecture.md lists
// the points. Safe to reach from any thread.
#pragma once

#include <string_view>

namespace sluice::host {

void fault_point(std::string_view name);

}  // namespace sluice::host
