#include "host/sync/sync_engine.hpp"

#include "host/sync/clock.hpp"
#include "host/sync/run_locks.hpp"
#include "host/sync/stream_plan.hpp"
#include "host/sync/stream_run.hpp"

#include "host/plugin/plugin_session.hpp"
#include "host/sync/catalog_lint.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace sluice::host {

namespace json = boost::json;

namespace {

// Plugin logs during discover (and between reads) go to the listener too,
// and a cancel reaches a plugin stuck there (Logger::cancelled).
class ListenerLog : public LogOnlyCallbacks {
 public:
  ListenerLog(SyncListener& listener, const std::atomic<bool>& cancel) : listener_(listener), cancel_(cancel) {}
  void log(int32_t level, std::string_view message) override { listener_.log(level, message); }
  bool cancelled() override { return cancel_.load(); }

 private:
  SyncListener& listener_;
  const std::atomic<bool>& cancel_;
};

// Forwards to the operator's listener and keeps every warning for the
// result (sync --json, history).
class WarningCollector : public SyncListener {
 public:
  explicit WarningCollector(SyncListener& inner) : inner_(inner) {}
  void stream_started(const StreamPlan& plan) override { inner_.stream_started(plan); }
  void stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) override {
    inner_.stream_progress(plan, records, bytes, seconds);
  }
  void checkpoint_committed(const StreamPlan& plan, uint64_t records_committed) override {
    inner_.checkpoint_committed(plan, records_committed);
  }
  void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) override {
    inner_.stream_finished(plan, outcome);
  }
  void stream_completion(const StreamPlan& plan, int64_t done, int64_t total) override {
    inner_.stream_completion(plan, done, total);
  }
  void log(int32_t level, std::string_view message) override {
    if (level == SLUICE_LOG_WARN) {
      std::lock_guard lock(mutex_);
      warnings_.emplace_back(message);
    }
    inner_.log(level, message);
  }
  std::vector<std::string> warnings() {
    std::lock_guard lock(mutex_);
    return warnings_;
  }

 private:
  SyncListener& inner_;
  std::mutex mutex_;
  std::vector<std::string> warnings_;
};

std::string streams_json(const std::vector<StreamOutcome>& outcomes) {
  json::array out;
  for (const auto& o : outcomes) out.push_back(outcome_json(o));
  return json::serialize(out);
}

// The streams the sync will read, as a discover hint: the connection's
// selection (narrowed by --streams), or every stream when it selects none.
std::vector<StreamName> discover_hint(const Connection& connection, const std::vector<std::string>& only) {
  std::vector<StreamName> hint;
  if (!connection.streams) return hint;
  for (const auto& selected : *connection.streams) {
    if (!only.empty() && std::find(only.begin(), only.end(), selected.name) == only.end()) continue;
    hint.push_back({selected.ns, selected.name});
  }
  return hint;
}

// What one parallel worker reads with: its own plugin session and target
// connection (never shared between threads).
struct Worker {
  std::unique_ptr<PluginSession> own_session;
  std::unique_ptr<Target> own_target;
  PluginSession* session = nullptr;
  Target* target = nullptr;
};

}  // namespace

std::string connection_name(const Connection& connection) {
  std::string stem = connection.file.stem().string();
  return stem.empty() ? connection.plugin : stem;
}

SyncResult run_sync(const SyncRequest& request) {
  auto started = std::chrono::steady_clock::now();
  Target& target = *request.target;
  WarningCollector listener(*request.listener);

  target.store().ensure_metadata();
  ListenerLog session_log(listener, *request.cancel);
  PluginSession session(*request.plugin, request.config, session_log);
  json::object catalog = session.discover(discover_hint(*request.connection, request.only_streams), session_log);
  // A plugin's catalog mistakes fail here, before any table is created.
  lint_catalog(catalog, request.plugin->name(), request.plugin->sync_modes(), *request.connection,
               request.only_streams);
  std::vector<StreamPlan> plans = plan_streams(catalog, *request.connection, request.only_streams, target);

  const std::string name = connection_name(*request.connection);
  SyncResult result;
  result.sync_id = new_sync_id();
  std::vector<LockRequest> tables;
  for (const auto& plan : plans) tables.push_back({plan.table, plan.display_name()});
  RunLocks locks(target, result.sync_id, std::move(tables), request.lock_wait, *request.cancel, listener);
  if (size_t abandoned = RunLocks::close_dead_syncs(target, result.sync_id)) {
    listener.log(SLUICE_LOG_WARN, std::to_string(abandoned) +
                                      " earlier sync(s) into this target ended without finishing (their process "
                                      "is gone); their streams resume from their last checkpoints");
  }
  std::map<TableRef, std::string> states;
  for (auto& state : target.store().states()) states[state.table] = state.state_json;

  SyncRecord record{result.sync_id, name, request.plugin->name(), utc_now_iso(), "", to_string(RunStatus::running),
                    "[]", ""};

  // Parallel workers, opened before the run is recorded: a target or
  // session that cannot be opened fails the sync before any stream starts.
  size_t parallel = std::min(request.parallel, plans.size());
  if (!request.plugin->concurrent_sessions() || !request.open_target) parallel = 1;
  std::vector<Worker> workers(std::max<size_t>(parallel, 1));
  for (size_t w = 0; w < workers.size(); ++w) {
    if (parallel == 1) {
      workers[w].session = &session;
      workers[w].target = &target;
      break;
    }
    // The sync's own connection holds its locks and records its history;
    // every worker writes through a connection of its own.
    workers[w].own_target = request.open_target();
    workers[w].target = workers[w].own_target.get();
    if (w == 0) {
      workers[w].session = &session;
    } else {
      workers[w].own_session = std::make_unique<PluginSession>(*request.plugin, request.config, session_log);
      workers[w].session = workers[w].own_session.get();
    }
  }
  std::mutex write_turn;  // single-writer engines: one write transaction at a time
  std::mutex* turn = parallel > 1 && target.dialect().single_writer ? &write_turn : nullptr;

  target.store().save_sync(record);

  std::vector<std::optional<StreamOutcome>> outcomes(plans.size());
  std::atomic<size_t> next{0};
  std::mutex record_mutex;  // the sync's own connection, `record` and `failure`
  std::exception_ptr failure;  // a history write that failed (TargetError)
  auto run_streams_of = [&](Worker& worker) {
    for (size_t i = next++; i < plans.size(); i = next++) {
      const StreamPlan& plan = plans[i];
      StreamOutcome outcome;
      if (request.cancel->load()) {
        outcome = {plan.display_name(), plan.table.display(), plan.mode, RunStatus::cancelled, 0, 0,
                   "cancelled before it started", "cancelled"};
      } else {
        std::optional<std::string> saved;
        if (auto found = states.find(plan.table); found != states.end()) saved = found->second;
        StreamRun run(plan, *worker.target, listener, result.sync_id, *request.cancel, turn);
        outcome = run.run(*worker.session, saved);
      }
      std::lock_guard lock(record_mutex);
      outcomes[i] = std::move(outcome);
      std::vector<StreamOutcome> done;
      for (const auto& o : outcomes) {
        if (o) done.push_back(*o);
      }
      record.streams_json = streams_json(done);
      std::unique_lock<std::mutex> write;
      if (turn) write = std::unique_lock(*turn);
      target.store().save_sync(record);  // history shows progress stream by stream
    }
  };
  auto run_streams = [&](Worker& worker) {
    try {
      run_streams_of(worker);
    } catch (...) {
      std::lock_guard lock(record_mutex);
      if (!failure) failure = std::current_exception();
      next = plans.size();  // no worker starts another stream
    }
  };
  if (parallel == 1) {
    run_streams(workers[0]);
  } else {
    std::vector<std::thread> threads;
    for (auto& worker : workers) threads.emplace_back([&run_streams, &worker] { run_streams(worker); });
    for (auto& thread : threads) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
  for (auto& outcome : outcomes) result.streams.push_back(std::move(*outcome));

  bool any_cancelled = false;
  for (const auto& outcome : result.streams) {
    if (outcome.status == RunStatus::succeeded) continue;
    any_cancelled = any_cancelled || outcome.status == RunStatus::cancelled;
    result.errors.push_back("stream " + outcome.stream + " " + to_string(outcome.status) + ": " + outcome.error);
  }
  result.status = result.errors.empty() ? RunStatus::succeeded : any_cancelled ? RunStatus::cancelled : RunStatus::failed;
  result.warnings = listener.warnings();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  record.ended_at = utc_now_iso();
  record.status = to_string(result.status);
  record.streams_json = streams_json(result.streams);
  record.error = result.errors.empty() ? "" : result.errors.front();
  target.store().save_sync(record);
  return result;
}

}  // namespace sluice::host
