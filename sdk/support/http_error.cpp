#include <sluice/support/http_error.hpp>

namespace sluice::support {

const char* to_string(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::auth: return "auth";
    case HttpFailure::config: return "config";
    case HttpFailure::not_found: return "not_found";
    case HttpFailure::transient: return "transient";
    case HttpFailure::rate_limited: return "rate_limited";
    case HttpFailure::source: return "source";
  }
  return "source";
}

ErrorKind error_kind(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::auth: return ErrorKind::auth;
    case HttpFailure::config:
    case HttpFailure::not_found: return ErrorKind::config;
    case HttpFailure::transient: return ErrorKind::transient;
    case HttpFailure::rate_limited: return ErrorKind::rate_limited;
    case HttpFailure::source: return ErrorKind::source;
  }
  return ErrorKind::source;
}

HttpFailure classify_status(int status) {
  if (status == 401 || status == 403) return HttpFailure::auth;
  if (status == 404) return HttpFailure::not_found;
  if (status == 429) return HttpFailure::rate_limited;
  if (status == 408 || status >= 500) return HttpFailure::transient;
  return HttpFailure::source;
}

}  // namespace sluice::support
