#include "job_wait.hpp"

#include <sluice/sdk.hpp>

#include <algorithm>
#include <thread>

namespace bigquery {

using std::chrono::milliseconds;

WaitClock system_wait_clock() {
  return {[] { return std::chrono::steady_clock::now(); }, [](milliseconds d) { std::this_thread::sleep_for(d); }};
}

bool job_complete(const json::object& response) {
  const auto* complete = response.if_contains("jobComplete");
  return complete && complete->is_bool() && complete->get_bool();
}

json::object wait_for_job(json::object response, const JobWait& wait, const std::function<json::object()>& poll,
                          const std::function<bool()>& cancelled, const WaitClock& clock) {
  const auto deadline = wait.started + wait.timeout;
  // getQueryResults itself waits on the server (timeoutMs); the pause only
  // keeps a server that answers at once from being asked in a tight loop.
  milliseconds pause{50};
  while (!job_complete(response)) {
    const auto wake = clock.now() + pause;
    for (;;) {
      if (cancelled()) throw sluice::Cancelled();
      const auto now = clock.now();
      if (now >= deadline) {
        throw sluice::Error(sluice::ErrorKind::transient,
                            "query job " + wait.job_id + " did not complete within " +
                                std::to_string(wait.timeout.count()) + " s (" + wait.limit + "); cancelling it");
      }
      if (now >= wake) break;
      clock.sleep(std::min({kCancelCheck, std::chrono::ceil<milliseconds>(wake - now),
                            std::chrono::ceil<milliseconds>(deadline - now)}));
    }
    pause = std::min(pause * 2, milliseconds(1000));
    response = poll();
  }
  return response;
}

}  // namespace bigquery
