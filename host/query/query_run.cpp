#include "host/query/query_run.hpp"

#include "host/common/host_error.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/sync/number_literals.hpp"

#include <mutex>

namespace sluice::host {

namespace {

namespace json = boost::json;

class QueryCallbacks : public LogOnlyCallbacks {
 public:
  QueryCallbacks(ResultWriter& writer, const QueryRunOptions& options)
      : writer_(writer), options_(options), deadline_(options.now() + options.timeout) {}

  void columns(std::string_view columns_json) override {
    if (stopped()) throw RunCancelled{};
    if (!columns_.empty()) throw PluginError(ErrorKind::internal, "the result's columns were sent twice");
    columns_ = parse_result_columns(columns_json);
    writer_.begin(columns_);
  }

  void rows(std::string_view ndjson) override {
    if (columns_.empty()) throw PluginError(ErrorKind::internal, "rows were sent before the result's columns");
    if (stopped()) throw RunCancelled{};
    size_t start = 0;
    while (start < ndjson.size()) {
      const size_t end = std::min(ndjson.find('\n', start), ndjson.size());
      const std::string_view line = ndjson.substr(start, end - start);
      start = end + 1;
      if (line.empty()) continue;
      if (options_.limit_rows && outcome.rows + 1 > options_.limit_rows) {
        cut("--limit-rows " + std::to_string(options_.limit_rows));
      }
      if (options_.limit_bytes && outcome.bytes + line.size() > options_.limit_bytes) {
        cut("--limit-bytes " + std::to_string(options_.limit_bytes));
      }
      json::error_code ec;
      json::value row = has_inexact_number(line) ? json::parse(mark_inexact_numbers(line), ec) : json::parse(line, ec);
      if (ec || !row.is_array() || row.get_array().size() != columns_.size()) {
        throw PluginError(ErrorKind::internal, "row " + std::to_string(outcome.rows + 1) +
                                                   " of the result is not a JSON array of " +
                                                   std::to_string(columns_.size()) + " values");
      }
      writer_.row(row.get_array(), line);
      ++outcome.rows;
      outcome.bytes += line.size();
    }
    if (options_.after_batch) options_.after_batch();
  }

  void log(int32_t level, std::string_view message) override {
    if (options_.log) options_.log->log(level, message);
  }
  bool cancelled() override { return stopped(); }

  bool interrupted() const { return options_.interrupt && options_.interrupt->load(); }
  bool timed_out() { return options_.now() >= deadline_; }
  bool stopped() { return outcome.truncated || interrupted() || timed_out(); }
  bool began() const { return !columns_.empty(); }

  QueryOutcome outcome;

 private:
  [[noreturn]] void cut(std::string by) {
    if (options_.after_batch) options_.after_batch();
    outcome.truncated = true;
    outcome.truncated_by = std::move(by);
    throw RunCancelled{};
  }

  ResultWriter& writer_;
  const QueryRunOptions& options_;
  const std::chrono::steady_clock::time_point deadline_;
  std::vector<ResultColumn> columns_;
};

}  // namespace

QueryOutcome run_query(PluginSession& session, const std::string& request_json, ResultWriter& writer,
                       const QueryRunOptions& options) {
  QueryCallbacks callbacks(writer, options);
  // Why the plugin stopped, when Sluice told it to: checked before its own
  // report, which is often just the source's "statement cancelled".
  auto stop_reason = [&] {
    if (callbacks.interrupted()) throw HostError(Failure::cancelled, "cancelled");
    if (!callbacks.outcome.truncated && callbacks.timed_out()) {
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count();
      throw HostError(Failure::plugin,
                      session.plugin().name() + " query: the statement ran past the timeout (" +
                          std::to_string(seconds) + " s) and was cancelled at the source",
                      ErrorKind::transient);
    }
  };
  try {
    json::object facts = session.query(request_json, callbacks);
    callbacks.outcome.facts = std::move(facts);
  } catch (const RunCancelled&) {
    stop_reason();
    if (!callbacks.outcome.truncated) throw HostError(Failure::cancelled, "cancelled");
  } catch (const PluginError&) {
    stop_reason();
    if (!callbacks.outcome.truncated) throw;
  }
  if (!callbacks.began()) {
    throw PluginError(ErrorKind::internal, session.plugin().name() + " query: the result has no columns");
  }
  writer.end(callbacks.outcome);
  return callbacks.outcome;
}

}  // namespace sluice::host
