// For tests that call a SQL connector's query in place (run_query) in the
// test process against the suite's real servers, where a CLI run cannot
// reach (a write the host would refuse, a cancel at an exact row): a host
// callback table that keeps the columns and rows a query emits, and cancels
// when told to (after a number of rows, or whenever the test sets
// `cancelled`), and the records a read() emits, to compare. Header-only: shared by the PostgreSQL and MySQL tests.
#pragma once

#include <sluice/sdk.hpp>

#include <boost/json.hpp>

#include "common/process.hpp"

#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

namespace sql_query_test {

struct QueryCapture {
  boost::json::array columns;           // as emitted: {"name", "schema", "source_type"}
  std::vector<boost::json::array> rows; // kept while keep_rows
  std::vector<std::string> lines;       // the same rows as sent
  size_t row_count = 0;
  bool keep_rows = true;
  size_t cancel_after_rows = 0;         // > 0: emit_rows answers cancelled once this many arrived
  size_t row_bytes = 0;                 // NDJSON bytes of every row emitted
  std::function<void()> on_rows;        // called after each batch of rows
  std::atomic<bool> cancelled{false};   // is_cancelled's answer
  std::vector<std::string> logs;
  std::vector<boost::json::object> records;  // what a read() of the same session emits
  sluice_host_api host{};

  QueryCapture() {
    host.struct_size = sizeof(host);
    host.abi_major = SLUICE_ABI_MAJOR;
    host.abi_minor = SLUICE_ABI_MINOR;
    host.ctx = this;
    host.log = [](void* ctx, int32_t, sluice_str message) {
      self(ctx).logs.emplace_back(message.data, message.size);
    };
    host.emit_records = [](void* ctx, sluice_str, sluice_str, sluice_str text, sluice_error*) -> sluice_status {
      std::string_view rest(text.data, text.size);
      while (!rest.empty()) {
        const size_t end = rest.find('\n');
        self(ctx).records.push_back(boost::json::parse(rest.substr(0, end)).as_object());
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      }
      return SLUICE_OK;
    };
    host.emit_state = [](void*, sluice_str, sluice_str, sluice_str, sluice_error*) -> sluice_status { return SLUICE_OK; };
    host.is_cancelled = [](void* ctx) -> int32_t { return self(ctx).cancelled.load() ? 1 : 0; };
    host.emit_columns = [](void* ctx, sluice_str text, sluice_error*) -> sluice_status {
      self(ctx).columns = boost::json::parse(std::string_view(text.data, text.size)).as_array();
      return SLUICE_OK;
    };
    host.emit_rows = [](void* ctx, sluice_str text, sluice_error*) -> sluice_status {
      QueryCapture& capture = self(ctx);
      std::string_view rest(text.data, text.size);
      while (!rest.empty()) {
        const size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        if (capture.keep_rows) {
          capture.rows.push_back(boost::json::parse(line).as_array());
          capture.lines.emplace_back(line);
        }
        ++capture.row_count;
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      }
      capture.row_bytes += text.size;
      if (capture.on_rows) capture.on_rows();
      if (capture.cancel_after_rows && capture.row_count >= capture.cancel_after_rows) {
        capture.cancelled = true;
        return SLUICE_CANCELLED;
      }
      return SLUICE_OK;
    };
  }
  QueryCapture(const QueryCapture&) = delete;

  // Column `column`'s schema.
  const boost::json::object& schema(size_t column) const { return columns.at(column).at("schema").as_object(); }

 private:
  static QueryCapture& self(void* ctx) { return *static_cast<QueryCapture*>(ctx); }
};

// A request for `sql` with `parameters`, timing out after `timeout` s.
inline sluice::QueryRequest request(const std::string& sql, std::vector<sluice::QueryParameter> parameters = {},
                                    int64_t timeout = 60) {
  sluice::QueryRequest out;
  out.sql = sql;
  out.parameters = std::move(parameters);
  out.timeout_seconds = timeout;
  return out;
}

// Runs `run(log, ctx)` as the plugin's query() does: "" when it succeeded,
// "cancelled", or the error as "[kind] message".
template <typename Run>
std::string outcome(QueryCapture& capture, Run&& run) {
  sluice::Logger log(&capture.host);
  sluice::QueryContext ctx(&capture.host);
  try {
    run(log, ctx);
    ctx.flush();
  } catch (const sluice::Cancelled&) {
    return "cancelled";
  } catch (const sluice::Error& error) {
    return std::string("[") + sluice::to_string(error.kind()) + "] " + error.what();
  }
  return "";
}

// Polls `done` until it is true, at most 30 s: a server's state (its list
// of running statements) has no event to wait on.
template <typename Done>
bool eventually(Done&& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // between polls of the server's state only
  }
  return false;
}

inline boost::json::object without(boost::json::object schema, const char* key) {
  schema.erase(key);
  return schema;
}

// This process's resident memory now.
inline size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// The sluice CLI run to its end with stdout and stderr into `output_file`:
// its exit code and its peak resident memory (getrusage of the child).
struct MeasuredRun {
  int exit_code = -1;
  size_t peak_bytes = 0;
};
inline MeasuredRun run_sluice_measured(const std::vector<std::string>& args, const std::string& working_dir,
                                       const std::string& output_file) {
  const int pid = sluice::test::spawn_sluice(args, working_dir, output_file);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, static_cast<size_t>(usage.ru_maxrss) * 1024};
}

}  // namespace sql_query_test
