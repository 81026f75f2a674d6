// For tests that run the connector's query in place (query_in_place.hpp)
// in the test process against the fixture's fake, where time and
// cancellation can be driven: a host callback table that keeps the
// columns, rows and log lines a query emits and answers is_cancelled and
// emit_rows as a test says; the Settings of a connection to the fixture;
// a WaitClock that only pretends to sleep.
#pragma once

#include "bigquery_fixture.hpp"
#include "job_wait.hpp"
#include "settings.hpp"

#include <sluice/plugin.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bigquery_test {

struct QueryCapture {
  sluice_host_api host{};
  std::string columns;             // what emit_columns got (a JSON array)
  std::vector<std::string> rows;   // each row line (when keep_rows)
  bool keep_rows = true;
  size_t row_count = 0, batches = 0, largest_batch = 0;  // rows, emit_rows calls, most bytes in one
  std::vector<std::string> lines;  // log lines
  // emit_rows answers SLUICE_CANCELLED from this call on (1-based; 0: never).
  size_t refuse_batch = 0;
  // is_cancelled answers true once this says so (asked on any thread).
  std::function<bool()> cancelled;

  QueryCapture();
  QueryCapture(const QueryCapture&) = delete;
  std::string log() const;  // every line, each ending with a newline
};

// The fixture's connection as read_settings gives it (max_bytes_billed 10 GiB).
bigquery::Settings direct_settings(const BigQueryFixture& f);

// A clock whose sleep only moves its own time forward.
struct FakeClock {
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  std::chrono::milliseconds slept{0};
  bigquery::WaitClock clock();
};

}  // namespace bigquery_test
