// The daemon's log: one line on its stderr, masked by the Redactor (no
// secret reaches the log in any encoding), written whole and flushed.
#pragma once

#include <string>

namespace sluice::host::serve {

void log_line(const std::string& line);

}  // namespace sluice::host::serve
