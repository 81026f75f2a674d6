// Inline definitions for sluice/error.hpp. Not part of the author API.
#pragma once

namespace sluice {

inline const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::config: return "config";
    case ErrorKind::auth: return "auth";
    case ErrorKind::transient: return "transient";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::source: return "source";
    case ErrorKind::internal: return "internal";
    case ErrorKind::unknown: break;
  }
  return "unknown";
}

}  // namespace sluice
