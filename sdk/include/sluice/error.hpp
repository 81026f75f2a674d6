// sluice/error.hpp -- how a connector reports failure.
#ifndef SLUICE_ERROR_HPP_
#define SLUICE_ERROR_HPP_

#include <sluice/plugin.h>

#include <stdexcept>
#include <string>

namespace sluice {

enum class ErrorKind {  // what went wrong, so the operator knows if a retry helps
  unknown = SLUICE_ERROR_KIND_UNKNOWN,
  config = SLUICE_ERROR_KIND_CONFIG,            // the configuration is wrong: fix it
  auth = SLUICE_ERROR_KIND_AUTH,                // credentials rejected or a scope missing
  transient = SLUICE_ERROR_KIND_TRANSIENT,      // network or 5xx: a later retry may work
  rate_limited = SLUICE_ERROR_KIND_RATE_LIMITED,// quota exhausted the retry budget
  source = SLUICE_ERROR_KIND_SOURCE,            // the source answered something unusable
  internal = SLUICE_ERROR_KIND_INTERNAL,        // a bug
};
inline const char* to_string(ErrorKind kind);  // "auth", "transient", ...

// The one exception a connector throws on purpose: one line saying what
// failed and where, never a secret, never the plugin's or stream's name
// (the host adds plugin, call and stream once).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Thrown once the host cancels the call; let it propagate.
struct Cancelled : std::exception {
  const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace sluice

#include <sluice/detail/error_impl.hpp>

#endif  // SLUICE_ERROR_HPP_
