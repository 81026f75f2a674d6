// How an HTTP failure is classified, and the exception the support library
// throws for it. HttpError derives from sluice::Error, so a connector that
// lets it propagate reports the right error kind to the host unchanged.
#pragma once

#include <sluice/connector.hpp>

#include <string>

namespace sluice::support {

enum class HttpFailure {
  auth,          // 401, 403, or a token endpoint refusing the credentials
  config,        // a request that cannot be made as configured (bad URL, CA file)
  not_found,     // 404: a dataset, tenant or table that does not exist
  transient,     // 5xx, timeouts, resets, truncated bodies, after retries ran out
  rate_limited,  // 429 (or a rate-limit the connector recognised), after retries ran out
  source,        // any other refusal: the service said no and retrying will not help
};

const char* to_string(HttpFailure failure);

// The host-level error kind of a failure (not_found is a config problem: the
// user named something that is not there).
ErrorKind error_kind(HttpFailure failure);

class HttpError : public Error {
 public:
  // `message` is one line and must not contain secrets; HttpClient builds it
  // from the method, the URL without its query string, the status and a
  // short excerpt of the response body.
  HttpError(HttpFailure failure, int status, const std::string& message, std::string body = {})
      : Error(error_kind(failure), message), failure_(failure), status_(status), body_(std::move(body)) {}

  HttpFailure failure() const noexcept { return failure_; }
  int status() const noexcept { return status_; }  // 0 when no response came
  // The full response body, for connectors that map vendor error codes
  // (e.g. BigQuery's "accessDenied") to better messages.
  const std::string& body() const noexcept { return body_; }

 private:
  HttpFailure failure_;
  int status_;
  std::string body_;
};

// The classification of a final HTTP status (2xx is not a failure).
HttpFailure classify_status(int status);

}  // namespace sluice::support
