// Waiting for a query job: jobs.getQueryResults is asked again while
// jobComplete is false, until the job completes, the host cancels the read
// or the job's deadline (job_timeout_seconds) passes. Between calls the loop
// backs off from 50 ms to 1 s, asking for cancellation at least every 100 ms.
// Time comes from a WaitClock, so tests run the loop without sleeping.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults (jobComplete, timeoutMs)
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace bigquery {

namespace json = boost::json;

struct WaitClock {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;  // never asked for more than kCancelCheck
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
WaitClock system_wait_clock();

// The longest sleep between two questions to `cancelled`.
inline constexpr std::chrono::milliseconds kCancelCheck{100};

struct JobWait {
  std::string job_id;                             // for messages
  std::chrono::steady_clock::time_point started;  // when jobs.query was sent
  std::chrono::seconds timeout{3600};             // job_timeout_seconds
  std::string limit = "job_timeout_seconds";      // what set the timeout, for the message
};

// True when a QueryResponse or GetQueryResultsResponse says jobComplete.
bool job_complete(const json::object& response);

// The first complete response: `response` when it is, else the first one
// `poll` returns that is. Throws sluice::Cancelled once `cancelled()` says
// so (asked before every poll); sluice::Error(transient) naming
// wait.limit when the deadline comes first (no poll starts after
// it). What `poll` throws passes through. The job itself is the caller's to
// cancel.
json::object wait_for_job(json::object response, const JobWait& wait, const std::function<json::object()>& poll,
                          const std::function<bool()>& cancelled, const WaitClock& clock);

}  // namespace bigquery
