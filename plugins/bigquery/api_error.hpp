// BigQuery's error responses, and what each one means for a sync.
// Body shape: {"error": {"code", "message", "status", "errors": [{"reason", ...}]}}.
// https://cloud.google.com/bigquery/docs/error-messages
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <string_view>

namespace bigquery {

namespace json = boost::json;

struct ApiError {
  int status = 0;
  std::string reason;   // errors[0].reason: accessDenied, notFound, rateLimitExceeded...
  std::string message;  // error.message, on one line
  bool from_api = false;  // the body was a Google API error ({"error": {...}})
};

// Reads the error body; a missing or foreign body (a proxy's bare 502) leaves
// reason and message empty.
ApiError parse_api_error(int status, std::string_view body);

// Worth retrying after a backoff: 429, 5xx, and the 403/400 reasons BigQuery
// documents as transient (rateLimitExceeded, backendError, internalError...).
bool is_retryable(const ApiError& error);

// A job that ran and failed for good: bytesBilledLimitExceeded (over its
// maximumBytesBilled) or stopped (cancelled, or past its jobTimeoutMs).
bool is_job_failure(const ApiError& error);

// Who made a call and what it needed, for messages that say what to fix.
struct CallContext {
  std::string method;      // REST method, e.g. "jobs.query"
  std::string resource;    // e.g. "table my-proj:sales.orders"
  std::string permission;  // the IAM permission the method needs
  std::string principal;   // the service account's client_email
};

// The sluice::Error for a failed call: bytesBilledLimitExceeded -> config
// (naming maximumBytesBilled), a job stopped at its timeout -> transient, 401 -> auth (naming the service
// account), 403 accessDenied -> auth (naming the missing permission), 404 ->
// config (naming the dataset or table), rate limits -> rate_limited, 5xx ->
// transient, anything else -> source.
sluice::Error to_error(const ApiError& error, const CallContext& call);

}  // namespace bigquery
