// A host for a connector's query() in a test, in process: the ABI 1.3
// sluice_host_api that records the columns and the rows a QueryContext
// hands over, answers is_cancelled as the test says, and answers an emit
// with SLUICE_CANCELLED once it has `stop_after_rows` rows (the host's row
// limit: the connector must cancel its statement at the source). And a test
// clock for the connector's HttpOptions, so waits of minutes take none.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/http_client.hpp>

#include <chrono>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test {

class QueryHost {
 public:
  QueryHost() {
    api_.struct_size = sizeof(api_);
    api_.abi_major = SLUICE_ABI_MAJOR;
    api_.abi_minor = SLUICE_ABI_MINOR;
    api_.ctx = this;
    api_.log = [](void* ctx, int32_t, sluice_str message) {
      auto& self = *static_cast<QueryHost*>(ctx);
      std::lock_guard lock(self.mutex_);
      self.logs.emplace_back(message.data, message.size);
    };
    api_.is_cancelled = [](void* ctx) -> int32_t { return static_cast<QueryHost*>(ctx)->cancelled.load() ? 1 : 0; };
    api_.emit_columns = [](void* ctx, sluice_str columns, sluice_error*) -> sluice_status {
      static_cast<QueryHost*>(ctx)->columns_json.assign(columns.data, columns.size);
      return SLUICE_OK;
    };
    api_.emit_rows = [](void* ctx, sluice_str ndjson, sluice_error*) -> sluice_status {
      auto& self = *static_cast<QueryHost*>(ctx);
      const std::string_view text(ndjson.data, ndjson.size);
      size_t start = 0;
      while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (self.keep_rows) self.rows.emplace_back(text.substr(start, end - start));
        ++self.row_count;
        start = end == std::string_view::npos ? text.size() : end + 1;
      }
      ++self.batches;
      if (self.on_batch) self.on_batch();
      if (self.stop_after_rows && self.row_count >= *self.stop_after_rows) return SLUICE_CANCELLED;
      return SLUICE_OK;
    };
  }
  QueryHost(const QueryHost&) = delete;

  const sluice_host_api* api() const { return &api_; }

  // The columns as the connector declared them: [{"name", "schema", "source_type"}].
  boost::json::array columns() const { return boost::json::parse(columns_json).as_array(); }
  std::vector<std::string> log_lines() const {
    std::lock_guard lock(mutex_);
    return logs;
  }

  std::string columns_json;
  std::vector<std::string> rows;  // each one JSON array, as sent
  bool keep_rows = true;          // false: only count them (a huge result)
  size_t row_count = 0, batches = 0;
  std::optional<size_t> stop_after_rows;
  std::function<void()> on_batch;  // after each batch of rows arrived
  std::atomic<bool> cancelled{false};

 private:
  sluice_host_api api_{};
  mutable std::mutex mutex_;
  std::vector<std::string> logs;
};

// Time that moves only when the code under test sleeps (HttpOptions::sleep).
class TestClock {
 public:
  static constexpr int64_t kStart = 1'780'000'000'000'000;  // microseconds since the epoch

  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::time_point(std::chrono::microseconds(micros_.load()));
  }
  std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds((micros_.load() - kStart) / 1000); }
  size_t sleeps() const { return sleeps_; }
  // Makes `options` run on this clock (it must outlive the clients).
  void install(sluice::support::HttpOptions& options) {
    options.now = [this] { return now(); };
    options.sleep = [this](std::chrono::milliseconds d) {
      micros_ += d.count() * 1000;
      ++sleeps_;
      if (on_sleep) on_sleep();
    };
  }
  std::function<void()> on_sleep;  // after each sleep

 private:
  std::atomic<int64_t> micros_{kStart};
  std::atomic<size_t> sleeps_{0};
};

inline sluice::QueryRequest query_request(std::string sql, std::vector<sluice::QueryParameter> parameters = {},
                                          int64_t timeout_seconds = 60) {
  sluice::QueryRequest request;
  request.sql = std::move(sql);
  request.parameters = std::move(parameters);
  request.timeout_seconds = timeout_seconds;
  return request;
}

}  // namespace sluice::test
