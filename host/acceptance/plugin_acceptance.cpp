#include "host/acceptance/plugin_acceptance.hpp"

#include "host/acceptance/catalog_consistency.hpp"
#include "host/acceptance/output_capture.hpp"
#include "host/acceptance/secret_scan.hpp"
#include "host/config/keyword_lint.hpp"
#include "host/config/schema_check.hpp"
#include "host/config/schema_validator.hpp"
#include "host/config/secret_refs.hpp"
#include "host/config/secrets.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/sync/catalog_lint.hpp"
#include "host/sync/stream_plan.hpp"
#include "host/sync/sync_engine.hpp"
#include "host/target/target.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace sluice::host {

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// The checks in the order they are reported (plugin_acceptance.hpp).
const std::vector<std::string>& check_order() {
  static const std::vector<std::string> order = {"spec", "config",     "check",  "discover", "read",  "schema",
                                                 "keys", "checkpoint", "resume", "secrets",  "cancel"};
  return order;
}

// How long the cancel run may take to reach its stream (discover, planning)
// before the check gives up on it: a guard against a source that hangs.
constexpr std::chrono::seconds kStartGuard{60};

std::string joined(const HostError& e) {
  std::string out;
  for (const auto& line : e.lines()) out += (out.empty() ? "" : "; ") + line;
  return out;
}

// Plugin logs of check and discover go to the secret scan, and nowhere else.
class ScanningLog : public LogOnlyCallbacks {
 public:
  explicit ScanningLog(SecretScan& scan) : scan_(scan) {}
  void log(int32_t, std::string_view message) override { scan_.scan(message, "a plugin log line"); }

 private:
  SecretScan& scan_;
};

// What the cancel check watches, shared with the thread running the sync
// (which outlives the check when the plugin ignores the cancel).
struct CancelWatch {
  std::mutex mutex;
  std::condition_variable changed;
  std::atomic<bool> cancel{false};
  std::optional<Clock::time_point> cancelled_at;
  std::optional<Clock::time_point> ended_at;
  std::optional<SyncResult> result;
  std::string error;  // a failure before any stream started
};

// A sync's listener: scans every log line; in the cancel run, cancels the
// run as its stream starts, right before the host calls read(), so the
// cancel always lands inside read() (a cancel on the first records would
// race a plugin that reads everything in one go).
class AcceptanceListener : public SyncListener {
 public:
  AcceptanceListener(std::shared_ptr<SecretScan> scan, std::shared_ptr<CancelWatch> watch = nullptr)
      : scan_(std::move(scan)), watch_(std::move(watch)) {}
  void stream_started(const StreamPlan&) override {
    if (!watch_) return;
    std::lock_guard lock(watch_->mutex);
    if (watch_->cancelled_at) return;
    watch_->cancelled_at = Clock::now();
    watch_->cancel.store(true);
    watch_->changed.notify_all();
  }
  void stream_progress(const StreamPlan&, uint64_t, uint64_t, double) override {}
  void checkpoint_committed(const StreamPlan&, uint64_t) override {}
  void stream_finished(const StreamPlan&, const StreamOutcome&) override {}
  void log(int32_t, std::string_view message) override { scan_->scan(message, "a plugin log line"); }

 private:
  std::shared_ptr<SecretScan> scan_;
  std::shared_ptr<CancelWatch> watch_;
};

bool offers(const json::object& stream, SyncMode mode) {
  const auto* list = stream.if_contains("supported_sync_modes");
  if (!list || !list->is_array()) return false;
  for (const auto& name : list->get_array()) {
    if (name.is_string() && name.get_string() == to_string(mode)) return true;
  }
  return false;
}

bool has_field(const json::object& stream, const char* key) {
  const auto* value = stream.if_contains(key);
  return value && value->is_array() && !value->get_array().empty();
}

std::string stream_ns(const json::object& stream) {
  const auto* ns = stream.if_contains("namespace");
  return ns && ns->is_string() ? std::string(ns->get_string()) : "";
}

std::string count_text(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

class Acceptance {
 public:
  explicit Acceptance(const AcceptanceRequest& request) : request_(request), plugin_(*request.plugin) {}

  AcceptanceResult run() {
    spec();
    if (!config()) return finish();
    OutputCapture capture(request_.scratch / "plugin-output.txt");
    check();
    if (discover()) {
      for (SyncMode mode : all_sync_modes()) read_mode(mode);
      summarize_reads();
      cancel();
    }
    capture.restore();
    scan_->scan(capture.text(), "what the plugin printed on stdout/stderr");
    secrets();
    return finish();
  }

 private:
  void pass(const char* check, std::string text) { result_.checks.push_back({check, true, std::move(text)}); }
  void fail(const char* check, std::string text) { result_.checks.push_back({check, false, std::move(text)}); }
  bool failed(const std::string& check) const {
    return std::any_of(result_.checks.begin(), result_.checks.end(),
                       [&](const CheckOutcome& c) { return c.check == check && !c.passed; });
  }
  // A pass line for each check that ran and found nothing wrong.
  void pass_unless_failed(const char* check, std::string text) {
    if (!failed(check)) pass(check, std::move(text));
  }

  AcceptanceResult finish() {
    const auto& order = check_order();
    std::stable_sort(result_.checks.begin(), result_.checks.end(), [&](const CheckOutcome& a, const CheckOutcome& b) {
      return std::find(order.begin(), order.end(), a.check) < std::find(order.begin(), order.end(), b.check);
    });
    return std::move(result_);
  }

  void spec() {
    const auto& schema = plugin_.config_schema();
    if (auto problem = check_config_schema(schema)) {
      fail("spec", "config schema: " + *problem + "; fix: correct the plugin's spec_json()");
    } else if (auto unknown = find_unknown_keyword(schema)) {
      fail("spec", "config schema: " + *unknown + "; fix: correct the plugin's spec_json()");
    } else {
      pass("spec", "the config schema is a valid draft-07 JSON Schema with no unknown keyword");
    }
  }

  bool config() {
    const auto& schema = plugin_.config_schema();
    json::object resolved = resolve_secret_refs(request_.config, request_.config_file.parent_path(), "config");
    for (auto& secret : collect_secret_values(schema, resolved)) Redactor::instance().add(std::move(secret));
    scan_ = std::make_shared<SecretScan>(schema, resolved);
    auto errors = validate_config(schema, resolved, "config");
    for (const auto& line : errors) {
      fail("config", line + "; fix: correct the config file (or the schema, if the config is right)");
    }
    if (!errors.empty()) return false;
    config_ = apply_defaults(schema, resolved);
    pass("config", "the config is valid against the plugin's schema");
    return true;
  }

  void check() {
    ScanningLog log(*scan_);
    try {
      PluginSession session(plugin_, config_, log);
      session.check(log);
      pass("check", "check() accepts the config");
    } catch (const HostError& e) {
      scan_->scan(e.what(), "an error message");
      fail("check", joined(e) + "; fix: check() must succeed with a config that reaches the source");
    }
  }

  bool discover() {
    ScanningLog log(*scan_);
    try {
      PluginSession session(plugin_, config_, log);
      catalog_ = session.discover({}, log);
    } catch (const HostError& e) {
      scan_->scan(e.what(), "an error message");
      fail("discover", joined(e) + "; fix: discover() must return the catalog with this config");
      return false;
    }
    scan_->scan(json::serialize(catalog_), "the catalog");
    const auto* streams = catalog_.if_contains("streams");
    if (!streams || !streams->is_array() || streams->get_array().empty()) {
      fail("discover", "the catalog has no stream; fix: discover() must return at least one stream");
      return false;
    }
    try {
      Connection every;
      every.plugin = plugin_.name();
      lint_catalog(catalog_, plugin_.name(), plugin_.sync_modes(), every, {});
    } catch (const HostError& e) {
      fail("discover", joined(e) + "; fix: correct the stream's declaration in discover()");
      return false;
    }
    for (auto& problem : catalog_consistency_problems(catalog_)) fail("discover", std::move(problem));
    pass_unless_failed("discover", count_text(streams->get_array().size(), "stream", "streams") +
                                       ", each with a valid schema and consistent modes, cursor and key");
    return true;
  }

  // The hint (a connection file's selection) for a catalog stream, if any.
  const StreamSelection* hint_for(const std::string& name, const std::string& ns) const {
    for (const auto& hint : request_.hints) {
      if (hint.name == name && (hint.ns.empty() || hint.ns == ns)) return &hint;
    }
    return nullptr;
  }

  // The streams a mode can read: those offering it with what it needs (a
  // cursor for incremental reads, a key for dedup: the stream's own, or the
  // one a hint names). The others are counted in skipped_.
  std::vector<StreamSelection> streams_for(SyncMode mode) {
    std::vector<StreamSelection> out;
    if (!(plugin_.sync_modes() & mode_bit(mode))) return out;
    for (const auto& entry : catalog_.at("streams").as_array()) {
      const auto& stream = entry.as_object();
      if (!offers(stream, mode)) continue;
      StreamSelection selection;
      selection.name = std::string(stream.at("name").as_string());
      selection.ns = stream_ns(stream);
      selection.mode = mode;
      const StreamSelection* hint = hint_for(selection.name, selection.ns);
      if (is_incremental(mode)) {
        if (hint && hint->cursor_field) selection.cursor_field = hint->cursor_field;
        else if (!has_field(stream, "default_cursor_field")) {
          ++skipped_;
          continue;
        }
      }
      if (mode == SyncMode::incremental_append_dedup) {
        if (hint && hint->primary_key) selection.primary_key = hint->primary_key;
        else if (!has_field(stream, "primary_key")) {
          ++skipped_;
          continue;
        }
      }
      out.push_back(std::move(selection));
    }
    return out;
  }

  // A stream's primary key: its own, else the one a hint names.
  std::vector<FieldPath> key_of(const json::object& stream) const {
    std::vector<FieldPath> key;
    if (const auto* list = stream.if_contains("primary_key"); list && list->is_array()) {
      for (const auto& part : list->get_array()) {
        if (auto path = field_path_from_json(part); path && !path->empty()) key.push_back(*path);
      }
    }
    if (key.empty()) {
      if (const auto* hint = hint_for(std::string(stream.at("name").as_string()), stream_ns(stream))) {
        key = hint->primary_key.value_or(std::vector<FieldPath>{});
      }
    }
    return key;
  }

  const json::object& catalog_stream(const StreamPlan& plan) const {
    for (const auto& entry : catalog_.at("streams").as_array()) {
      const auto& stream = entry.as_object();
      if (stream.at("name").as_string() == plan.name && stream_ns(stream) == plan.source_ns) return stream;
    }
    throw HostError(Failure::internal, "no catalog stream for plan " + plan.display_name());
  }

  Connection connection_for(const std::string& db, std::vector<StreamSelection> streams) const {
    Connection connection;
    connection.file = request_.config_file;
    connection.plugin = plugin_.name();
    connection.config = request_.config;
    connection.target = "sqlite://" + db;
    // Every table in the file's one schema: namespaces play no part here.
    connection.namespace_rule.definition = NamespaceDefinition::destination;
    connection.streams = std::move(streams);
    return connection;
  }

  SyncResult sync(const Connection& connection, Target& target, AcceptanceListener& listener,
                  const std::atomic<bool>& cancel) const {
    SyncRequest request;
    request.plugin = &plugin_;
    request.config = config_;
    request.connection = &connection;
    request.target = &target;
    request.listener = &listener;
    request.cancel = &cancel;
    request.parallel = 1;
    SyncResult result = run_sync(request);
    for (const auto& line : result.errors) scan_->scan(line, "an error message");
    return result;
  }

  std::string table_sql(const Target& target, const StreamPlan& plan) const {
    return target.dialect().quoted(plan.table.name);
  }

  uint64_t count(Target& target, const std::string& sql) const {
    auto rows = target.connection().query(Sql(sql));
    return rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
  }

  // The field names of the JSON objects in one metadata column (names only:
  // values may be anything, secrets included).
  std::string field_names(Target& target, const StreamPlan& plan, const char* column) const {
    const std::string quoted = target.dialect().quoted(column);
    auto rows = target.connection().query(Sql("SELECT " + quoted + " FROM " + table_sql(target, plan) + " WHERE " +
                                              quoted + " IS NOT NULL LIMIT 50"));
    std::set<std::string> names;
    for (const auto& row : rows) {
      json::error_code ec;
      json::value value = row[0] ? json::parse(*row[0], ec) : json::value();
      if (ec || !value.is_object()) continue;
      for (const auto& field : value.get_object()) names.insert(std::string(field.key()));
    }
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

  std::string who(const StreamPlan& plan) const {
    return "stream " + plan.display_name() + " (" + to_string(plan.mode) + ")";
  }

  void schema_check(Target& target, const StreamPlan& plan) {
    if (!schema_checked_.insert(plan.display_name()).second) return;
    const std::string table = table_sql(target, plan);
    const uint64_t total = count(target, "SELECT COUNT(*) FROM " + table);
    const uint64_t bad =
        count(target, "SELECT COUNT(*) FROM " + table + " WHERE " + target.dialect().quoted(kExtraColumn) +
                          " IS NOT NULL OR " + target.dialect().quoted(kUncastColumn) + " IS NOT NULL");
    if (bad == 0) return;
    std::string why;
    if (auto extra = field_names(target, plan, kExtraColumn); !extra.empty()) {
      why += "fields its json_schema does not declare: " + extra;
    }
    if (auto uncast = field_names(target, plan, kUncastColumn); !uncast.empty()) {
      why += std::string(why.empty() ? "" : "; ") + "values not of their declared type: " + uncast;
    }
    fail("schema", who(plan) + ": " + std::to_string(bad) + " of " + count_text(total, "record", "records") +
                       " do not match its json_schema (" + why +
                       "); fix: declare every field the records carry, with the type their values have");
  }

  void key_check(Target& target, const StreamPlan& plan) {
    const auto& stream = catalog_stream(plan);
    const auto key = key_of(stream);
    if (!offers(stream, SyncMode::incremental_append_dedup) || key.empty()) return;
    if (!key_checked_.insert(plan.display_name()).second) return;
    ++key_streams_;
    std::string missing, names;
    for (const auto& path : key) {
      if (path.size() != 1) continue;  // a nested key part: the dedup run checks it
      for (const auto& column : plan.columns) {
        if (column.source_name != path.front()) continue;
        missing += std::string(missing.empty() ? "" : " OR ") + target.dialect().quoted(column.name) + " IS NULL";
        names += (names.empty() ? "" : ", ") + column.source_name;
      }
    }
    if (missing.empty()) return;
    const std::string table = table_sql(target, plan);
    const uint64_t bad = count(target, "SELECT COUNT(*) FROM " + table + " WHERE " + missing);
    if (bad == 0) return;
    fail("keys", who(plan) + ": " + std::to_string(bad) + " of " +
                     count_text(count(target, "SELECT COUNT(*) FROM " + table), "record", "records") +
                     " lack their primary key (" + names +
                     "); fix: emit every primary key field, non-null, in every record of a stream that offers "
                     "incremental_append_dedup");
  }

  std::string distinct_sql(const Target& target, const StreamPlan& plan) const {
    if (plan.data_width() == 0) return "SELECT COUNT(*) FROM " + table_sql(target, plan);  // no data column
    std::string columns;
    for (size_t c = 0; c < plan.data_width(); ++c) {
      columns += (columns.empty() ? "" : ", ") + target.dialect().quoted(plan.columns[c].name);
    }
    return "SELECT COUNT(*) FROM (SELECT DISTINCT " + columns + " FROM " + table_sql(target, plan) + ")";
  }

  void read_mode(SyncMode mode) {
    auto streams = streams_for(mode);
    if (streams.empty()) return;
    const std::string db = (request_.scratch / (std::string(to_string(mode)) + ".db")).string();
    databases_.push_back(db);
    const Connection connection = connection_for(db, std::move(streams));
    std::unique_ptr<Target> target;
    std::vector<StreamPlan> plans;
    SyncResult first;
    AcceptanceListener listener(scan_);
    try {
      target = open_target(connection.target);
      plans = plan_streams(catalog_, connection, {}, *target);
      first = sync(connection, *target, listener, never_);
    } catch (const HostError& e) {
      scan_->scan(e.what(), "an error message");
      fail("read", std::string(to_string(mode)) + ": " + joined(e) + "; fix: the catalog must plan as it is");
      return;
    }
    std::vector<const StreamPlan*> read;
    for (const auto& outcome : first.streams) {
      const auto plan = std::find_if(plans.begin(), plans.end(),
                                     [&](const StreamPlan& p) { return p.display_name() == outcome.stream; });
      if (plan == plans.end()) continue;
      if (outcome.status == RunStatus::succeeded) {
        ++stream_modes_read_;
        records_read_ += outcome.records;
        read.push_back(&*plan);
        if (!cancel_candidate_) cancel_candidate_ = *plan;
        continue;
      }
      if (outcome.error.find("has no usable primary key") != std::string::npos) {
        key_checked_.insert(plan->display_name());
        fail("keys", who(*plan) + ": " + outcome.error +
                         "; fix: emit every primary key field, non-null, in every record");
        continue;
      }
      fail("read", who(*plan) + ": " + outcome.error +
                       "; fix: a stream must read to its end in every mode it offers (or not offer the mode)");
    }
    for (const StreamPlan* plan : read) {
      schema_check(*target, *plan);
      key_check(*target, *plan);
    }
    if (!is_incremental(mode)) return;
    resume_check(connection, *target, read, first);
  }

  // Incremental modes: each stream read saved a checkpoint, and a second run
  // from it adds no new distinct row.
  void resume_check(const Connection& connection, Target& target, const std::vector<const StreamPlan*>& read,
                    const SyncResult& first) {
    std::vector<uint64_t> before;
    const auto states = target.store().states();
    for (const StreamPlan* plan : read) {
      ++incremental_streams_;
      before.push_back(count(target, distinct_sql(target, *plan)));
      const bool saved = std::any_of(states.begin(), states.end(), [&](const StateRecord& s) {
        return s.table == plan->table && !s.state_json.empty() && s.state_json != "null";
      });
      uint64_t records = 0;
      for (const auto& outcome : first.streams) {
        if (outcome.stream == plan->display_name()) records = outcome.records;
      }
      if (!saved && records > 0) {
        fail("checkpoint", who(*plan) + ": " + count_text(records, "record", "records") +
                               " read but no checkpoint saved; fix: call checkpoint() after each page with what "
                               "the next run needs to resume (its cursor)");
      }
    }
    AcceptanceListener listener(scan_);
    SyncResult second;
    try {
      second = sync(connection, target, listener, never_);
    } catch (const HostError& e) {
      fail("resume", std::string(to_string(connection.streams->front().mode.value())) +
                         ", second run: " + joined(e) + "; fix: a second run must start from the saved state");
      return;
    }
    for (size_t i = 0; i < read.size(); ++i) {
      const StreamPlan& plan = *read[i];
      const auto outcome = std::find_if(second.streams.begin(), second.streams.end(),
                                        [&](const StreamOutcome& o) { return o.stream == plan.display_name(); });
      if (outcome == second.streams.end()) continue;
      if (outcome->status != RunStatus::succeeded) {
        fail("resume", who(plan) + ", second run from its saved state: " + outcome->error +
                           "; fix: read() must accept the checkpoint it saved as stream.state");
        continue;
      }
      const uint64_t after = count(target, distinct_sql(target, plan));
      if (after > before[i]) {
        fail("resume", who(plan) + ": a second run from the saved state added " +
                           count_text(after - before[i], "new distinct row", "new distinct rows") +
                           "; fix: start read() at the checkpoint in stream.state and emit only what changed "
                           "since it");
      }
    }
  }

  void cancel() {
    if (!cancel_candidate_) {
      pass("cancel", "not exercised: no stream read to its end");
      return;
    }
    const StreamPlan plan = *cancel_candidate_;
    auto watch = std::make_shared<CancelWatch>();
    const std::string db = (request_.scratch / "cancel.db").string();
    databases_.push_back(db);
    StreamSelection selection{plan.name, plan.source_ns, plan.mode, std::nullopt, std::nullopt};
    // Everything the sync thread uses is its own (or the plugin's, which
    // lives as long as the process): it may outlive this check.
    auto connection = std::make_shared<Connection>(connection_for(db, {selection}));
    auto listener = std::make_shared<AcceptanceListener>(scan_, watch);
    std::thread runner([watch, connection, listener, plugin = &plugin_, config = config_] {
      try {
        auto target = open_target(connection->target);
        SyncRequest request;
        request.plugin = plugin;
        request.config = config;
        request.connection = connection.get();
        request.target = target.get();
        request.listener = listener.get();
        request.cancel = &watch->cancel;
        SyncResult result = run_sync(request);
        std::lock_guard lock(watch->mutex);
        watch->result = std::move(result);
      } catch (const std::exception& e) {
        std::lock_guard lock(watch->mutex);
        watch->error = e.what();
      }
      std::lock_guard lock(watch->mutex);
      watch->ended_at = Clock::now();
      watch->changed.notify_all();
    });
    std::unique_lock lock(watch->mutex);
    watch->changed.wait_for(lock, kStartGuard, [&] { return watch->cancelled_at || watch->ended_at; });
    const auto bound = request_.cancel_within;
    if (watch->cancelled_at) {
      watch->changed.wait_until(lock, *watch->cancelled_at + bound, [&] { return watch->ended_at.has_value(); });
    }
    if (!watch->ended_at) {
      lock.unlock();
      runner.detach();
      result_.plugin_still_running = true;
      const std::string ms = std::to_string(bound.count());
      fail("cancel", who(plan) + (watch->cancelled_at ? ": still reading " + ms + " ms after the cancel"
                                                      : ": the stream did not start within " +
                                                            std::to_string(kStartGuard.count()) + " s") +
                         "; fix: stop read() when the SDK says the run is cancelled (ctx.cancelled(), or let the "
                         "Cancelled an emit throws propagate); wait with the support library's HTTP client, which "
                         "returns on cancel");
      return;
    }
    lock.unlock();
    runner.join();
    if (!watch->error.empty()) {
      fail("cancel", who(plan) + ": " + watch->error + "; fix: the stream must read as it did before");
      return;
    }
    const auto& outcome = watch->result->streams.empty() ? StreamOutcome{} : watch->result->streams.front();
    if (!watch->cancelled_at) {
      fail("cancel", who(plan) + ": the cancel run never started its stream (" +
                         (watch->result->errors.empty() ? std::string("no error") : watch->result->errors.front()) +
                         "); fix: the stream must read as it did before");
      return;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*watch->ended_at - *watch->cancelled_at);
    if (outcome.status == RunStatus::failed) {
      fail("cancel", who(plan) + ": failed after the cancel instead of stopping: " + outcome.error +
                         "; fix: let the Cancelled an emit throws propagate out of read()");
      return;
    }
    pass("cancel", who(plan) + " stopped " + std::to_string(ms.count()) + " ms after the cancel (bound " +
                       std::to_string(bound.count()) + " ms)");
  }

  void secrets() {
    if (!result_.plugin_still_running) {
      for (const auto& db : databases_) {
        scan_->scan_file(db, "the target (" + std::filesystem::path(db).filename().string() + ")");
        scan_->scan_file(db + "-wal", "the target (" + std::filesystem::path(db).filename().string() + "-wal)");
      }
    }
    for (const auto& finding : scan_->findings()) {
      fail("secrets", finding + "; fix: never log, print, emit or checkpoint a secret config value, in any encoding");
    }
    std::string note = scan_->secrets_too_short() ? " (" + count_text(scan_->secrets_too_short(), "secret", "secrets") +
                                                        " shorter than " + std::to_string(SecretScan::kMinSecretBytes) +
                                                        " bytes not looked for)"
                                                  : "";
    pass_unless_failed("secrets", count_text(scan_->secrets_scanned(), "secret value", "secret values") +
                                      " looked for: none in any output, log line, error, catalog or target file" + note);
  }

  // Pass lines of the checks whose problems are reported as they are found.
  void summarize_reads() {
    const std::string skipped =
        skipped_ ? " (" + count_text(skipped_, "stream mode", "stream modes") +
                       " not read: no cursor or key known; name them in a connection file's streams)"
                 : "";
    pass_unless_failed("read", count_text(stream_modes_read_, "stream read", "stream reads") +
                                   " (each stream in each mode it offers) to the end, " +
                                   count_text(records_read_, "record", "records") + skipped);
    pass_unless_failed("schema", "every record matches its stream's json_schema");
    pass_unless_failed("keys", key_streams_ ? "every record of the " +
                                                  count_text(key_streams_, "stream", "streams") +
                                                  " offering dedup carries its primary key"
                                            : "not exercised: no stream offers incremental_append_dedup with a key");
    const std::string incremental = count_text(incremental_streams_, "incremental read", "incremental reads");
    pass_unless_failed("checkpoint", incremental_streams_ ? incremental + ", each saved a checkpoint"
                                                          : "not exercised: no incremental read");
    pass_unless_failed("resume", incremental_streams_ ? incremental + ", a second run from each saved state "
                                                                      "added no new distinct row"
                                                      : "not exercised: no incremental read");
  }

  const AcceptanceRequest& request_;
  const Plugin& plugin_;
  AcceptanceResult result_;
  std::shared_ptr<SecretScan> scan_;
  json::object config_;
  json::object catalog_;
  const std::atomic<bool> never_{false};
  std::vector<std::string> databases_;
  std::set<std::string> schema_checked_, key_checked_;
  std::optional<StreamPlan> cancel_candidate_;
  uint64_t stream_modes_read_ = 0, records_read_ = 0, key_streams_ = 0, incremental_streams_ = 0, skipped_ = 0;
};

}  // namespace

bool AcceptanceResult::passed() const {
  return std::all_of(checks.begin(), checks.end(), [](const CheckOutcome& c) { return c.passed; });
}

AcceptanceResult run_acceptance(const AcceptanceRequest& request) { return Acceptance(request).run(); }

}  // namespace sluice::host
