// How an HTTP failure is classified, and the sluice::Error the support
// library throws for it: let it propagate and the host gets the right kind.
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
ErrorKind error_kind(HttpFailure failure);  // not_found is config: the user named it
HttpFailure classify_status(int status);    // of a final status (2xx is no failure)

class HttpError : public Error {
 public:
  // `message`: one line without secrets (method, URL without query, status,
  // a short excerpt of the body).
  HttpError(HttpFailure failure, int status, const std::string& message, std::string body = {})
      : Error(error_kind(failure), message), failure_(failure), status_(status), body_(std::move(body)) {}

  HttpFailure failure() const noexcept { return failure_; }
  int status() const noexcept { return status_; }
  const std::string& body() const noexcept { return body_; }  // to map vendor error codes

 private:
  HttpFailure failure_;
  int status_;  // 0 when no response came
  std::string body_;
};

}  // namespace sluice::support
