// What `sluice check` asks of a target before any sync: reachable,
// credentials accepted, and allowed to create (and drop) a table in the
// namespace the sync would write to.
#pragma once

#include "host/target/target.hpp"

#include <string>

namespace sluice::host {

// Opens `url`, creates a throwaway table `_sluice_check_<random>` in
// `ns` ("" = the target's default namespace) and drops it again. Returns a
// one-line description of what was checked; throws TargetError or
// ConfigError (masked URL, the server's reason) when any step fails. A
// failed drop is reported too: the table name is in the message.
std::string check_target(const std::string& url, const std::string& ns);

}  // namespace sluice::host
