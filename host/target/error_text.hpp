// Turning database client messages into Sluice's error style: one line,
// never carrying the target's password.
#pragma once

#include <string>

namespace sluice::host {

// `text` on one line: newlines and tabs become spaces, runs of spaces
// collapse, trailing spaces go.
std::string one_line(const std::string& text);

// `text` with every occurrence of `secret` replaced by ******** (nothing
// when `secret` is empty). Client libraries do not echo passwords, but a
// message built from a connection string could; this is the last guard.
std::string without_secret(std::string text, const std::string& secret);

}  // namespace sluice::host
