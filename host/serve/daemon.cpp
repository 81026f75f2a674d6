#include "host/serve/daemon.hpp"
#include "host/serve/serve_log.hpp"

#include "host/serve/child_launcher.hpp"
#include "host/serve/jobs/child_run.hpp"
#include "host/serve/schedule/schedule_spec.hpp"

#include "host/config/bounded_file.hpp"
#include "host/config/secrets.hpp"
#include "host/sync/clock.hpp"

#include <sluice/support/timestamp.hpp>

#include <unistd.h>

#include <ctime>
#include <iostream>
#include <sstream>

namespace sluice::host::serve {

namespace {

std::string default_host_id() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// Leases are on the real clock of every host (the scheduler's may be a
// test's): ISO-8601 with microseconds, one width, so text order is time
// order in the store's comparisons. Hosts sharing a store need clocks
// in step (NTP) to well within a lease.
std::string lease_time(std::chrono::milliseconds ahead) {
  const auto at = std::chrono::system_clock::now() + ahead;
  return support::format_rfc3339(
      {std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count()});
}

GateLimits gate_limits(const ServeConfig& config) {
  GateLimits limits;
  limits.global = config.max_concurrent_syncs;
  limits.per_plugin = config.max_concurrent_per_plugin;
  limits.plugin_overrides = config.plugin_limits;
  return limits;
}

RetryPolicy retry_policy(const ServeConfig& config) {
  RetryPolicy policy;
  policy.max_retries = config.retry_max;
  policy.initial = config.retry_initial;
  policy.factor = config.retry_factor;
  policy.cap = config.retry_cap;
  return policy;
}

}  // namespace

std::string iso_seconds(TimePoint t) {
  return support::format_rfc3339(
      {std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count()}, 0);
}

std::optional<TimePoint> parse_iso(const std::string& text) {
  auto parsed = support::parse_rfc3339(text);
  if (!parsed) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(
      std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(parsed->micros)));
}

std::unique_ptr<SyncLauncher> make_child_launcher(const ServeConfig& config) {
  ChildLauncherOptions options;
  options.timeout = config.run_timeout;
  options.memory_limit_bytes = config.memory_limit_mb << 20;
  return std::make_unique<ChildLauncher>(options);
}

Daemon::Daemon(ServeConfig config, std::unique_ptr<SyncLauncher> launcher)
    : config_(std::move(config)),
      host_id_(config_.host_id.empty() ? default_host_id() : config_.host_id),
      store_(std::make_unique<Store>(config_.store_url)),
      box_(SecretBox::from_config(config_)),
      plugins_(config_.plugin_dirs),
      ingest_limiter_(config_.ingest_requests_per_second, config_.ingest_burst),
      launcher_(std::move(launcher)),
      gates_(gate_limits(config_)),
      scheduler_(retry_policy(config_)) {
  std::filesystem::create_directories(config_.work_dir);
  auth_ = std::make_unique<Authenticator>(*store_);
  add_routes(router_, *this);
  server_ = std::make_unique<HttpServer>(config_, router_, *auth_, counters_);
}

Daemon::~Daemon() { shutdown(); }

void Daemon::start() {
  for (const JobRow& job : store_->interrupt_jobs_of(host_id_)) {
    requeue(job, "interrupted: the daemon stopped while it ran");
  }
  store_->cancel_running_queries(host_id_, "the daemon stopped while the query ran");
  server_->start();
  {
    std::lock_guard lock(mutex_);
    started_ = true;
  }
  dispatcher_ = std::thread(&Daemon::dispatch_loop, this);
}

void Daemon::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  job_ended_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  {
    // Their handlers then end their streams and record them as cancelled.
    std::lock_guard lock(mutex_);
    for (auto& [id, run] : queries_) {
      if (run) run->cancel();
    }
  }
  if (server_) server_->stop();
  launcher_->stop_all();
}

void Daemon::requeue(const JobRow& job, const std::string& why) {
  JobRow again;
  again.id = new_sync_id();
  again.connection_id = job.connection_id;
  again.status = "queued";
  again.trigger = "resume";
  again.created_at = utc_now_iso();
  again.attempt = job.attempt + 1;
  if (!store_->connection(job.connection_id)) return;  // deleted meanwhile
  store_->insert_job(again);
  log_line("sluice serve: job " + job.id + " " + why + "; queued again as " + again.id);
}

JobRow Daemon::enqueue(const std::string& connection_id, const std::string& trigger,
                       const std::string& idempotency_key, bool* created) {
  std::lock_guard lock(mutex_);
  if (!idempotency_key.empty()) {
    if (auto seen = store_->job_by_idempotency_key(connection_id, idempotency_key)) {
      *created = false;
      return *seen;
    }
  }
  JobRow job;
  job.id = new_sync_id();
  job.connection_id = connection_id;
  job.status = "queued";
  job.trigger = trigger;
  job.idempotency_key = idempotency_key;
  job.created_at = utc_now_iso();
  store_->insert_job(job);
  *created = true;
  poked_ = true;
  wake_.notify_all();
  return job;
}

TimePoint Daemon::now() const {
  if (!config_.clock_file.empty()) {
    try {
      const std::string text = read_regular_file(config_.clock_file, 64);
      return TimePoint(std::chrono::seconds(std::stoll(text)));
    } catch (const std::exception&) {
      // Being rewritten: the system clock for this one reading.
    }
  }
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string Daemon::now_text() const { return iso_seconds(now()); }

bool Daemon::cancel(const std::string& job_id) {
  std::unique_lock lock(mutex_);
  auto job = store_->job(job_id);
  if (!job || (job->status != "queued" && job->status != "running")) return false;
  store_->request_cancel(job_id);
  // Still queued in the store (no host has claimed it meanwhile): ends here.
  if (job->status == "queued" && !running_jobs_.count(job_id) &&
      store_->cancel_queued(job_id, now_text(), "cancelled before it started")) {
    ++totals_.finished_by_status["cancelled"];
    job_ended_.notify_all();
    return true;
  }
  // Running here, or claimed by another host: that host's next heartbeat
  // sees cancel_requested.
  lock.unlock();
  launcher_->cancel(job_id);
  return true;
}

void Daemon::wait_for_end(const std::string& job_id, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    auto job = store_->job(job_id);
    if (!job || (job->status != "queued" && job->status != "running") || stopping_) return;
    if (job_ended_.wait_until(lock, deadline) == std::cv_status::timeout) return;
  }
}

bool Daemon::busy(const std::string& connection_id) {
  for (const auto& status : {"queued", "running"}) {
    JobFilter filter;
    filter.connection_id = connection_id;
    filter.status = status;
    filter.limit = 1;
    if (!store_->jobs(filter).empty()) return true;
  }
  return false;
}

JobRow Daemon::with_live_progress(JobRow job) const {
  if (job.status != "running") return job;
  if (auto now = launcher_->progress(job.id)) {
    job.records = now->records;
    job.bytes = now->bytes;
    job.streams_json = Redactor::instance().apply(now->streams_json);
  }
  return job;
}

void Daemon::dispatch_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    poked_ = false;
    lock.unlock();
    const TimePoint pass_clock = now();
    // A store that cannot be reached fails this pass only; the next tick tries again.
    try {
      schedule_due(pass_clock);
    } catch (const std::exception& e) {
      log_line(std::string("sluice serve: scheduler: ") + e.what());
    }
    try {
      renew_leases();
    } catch (const std::exception& e) {
      log_line(std::string("sluice serve: lease heartbeat: ") + e.what());
    }
    lock.lock();
    if (stopping_) break;
    try {
      dispatch(lock);
    } catch (const std::exception& e) {
      log_line(std::string("sluice serve: dispatcher: ") + e.what());
    }
    ++passes_;
    last_pass_clock_ = pass_clock;
    const auto wait = std::min<std::chrono::milliseconds>(
        config_.tick, std::chrono::duration_cast<std::chrono::milliseconds>(config_.lease) / 3);
    wake_.wait_for(lock, wait, [this] { return poked_ || stopping_; });
  }
}

void Daemon::schedule_due(TimePoint now) {
  const auto busy_list = store_->busy_connections();
  const std::set<std::string> busy_now(busy_list.begin(), busy_list.end());
  std::vector<ScheduledConnection> connections;
  std::map<std::string, std::string> covered_text;   // connection -> covered_until as stored
  std::map<std::string, std::string> failed_job;     // connection -> its failed latest job
  for (const ConnectionRow& row : store_->connections()) {
    ScheduledConnection c;
    c.id = row.id;
    c.plugin = row.plugin;
    c.running = busy_now.count(row.id) > 0;
    boost::json::error_code ec;
    const boost::json::value spec = boost::json::parse(row.schedule_json, ec);
    if (!ec && spec.is_object() && !spec.as_object().empty()) {
      try {
        c.schedule = schedule_from_json(spec);
      } catch (const ScheduleError&) {
        // Validated when stored: only a zone removed from the system since.
      }
    }
    std::string covered = row.covered_until;
    auto covered_at = parse_iso(covered);
    if (!covered_at) {
      // Stored before the scheduler knew it (schema version 1): from now on.
      if (!store_->advance_covered_until(row.id, covered, iso_seconds(now))) continue;
      covered = iso_seconds(now);
      covered_at = now;
    }
    c.covered_until = *covered_at;
    if (!c.running) {
      auto latest = store_->latest_job(row.id);
      if (latest && latest->status == "failed" && is_retryable(latest->error_kind)) {
        if (auto failed_at = parse_iso(latest->finished_at)) {
          c.last_failure = LastFailure{latest->error_kind, latest->attempt, *failed_at};
          failed_job[row.id] = latest->id;
        }
      }
    }
    if (!c.schedule && !c.last_failure) continue;
    covered_text[row.id] = covered;
    connections.push_back(std::move(c));
  }
  for (const DueJob& due : scheduler_.due(connections, now)) {
    JobRow job;
    job.id = new_sync_id();
    job.connection_id = due.connection;
    job.status = "queued";
    job.created_at = utc_now_iso();
    job.attempt = due.attempt;
    job.due_at = iso_seconds(due.due);
    std::string why;
    if (due.reason == DueJob::Reason::scheduled) {
      // Another host (or this one, a pass ago) served this due time already.
      if (!store_->advance_covered_until(due.connection, covered_text[due.connection], iso_seconds(now))) continue;
      job.trigger = "schedule";
      why = "due at " + iso_seconds(due.due) + (due.missed ? " (later missed runs folded into this one)" : "");
    } else {
      job.trigger = "retry";
      job.idempotency_key = "retry:" + failed_job[due.connection];
      if (store_->job_by_idempotency_key(due.connection, job.idempotency_key)) continue;
      why = "retry " + std::to_string(due.attempt - 1) + " of " + failed_job[due.connection] + ", due at " +
            iso_seconds(due.due);
    }
    try {
      store_->insert_job(job);
    } catch (const std::exception&) {
      // The same retry key inserted by another host a moment ago.
      if (job.trigger == "retry" && store_->job_by_idempotency_key(due.connection, job.idempotency_key)) continue;
      throw;
    }
    log_line("sluice serve: job " + job.id + " queued for connection " + due.connection + ": " + why);
  }
}

void Daemon::renew_leases() {
  const auto now_steady = std::chrono::steady_clock::now();
  std::vector<std::string> mine;
  {
    std::lock_guard lock(mutex_);
    if (now_steady - last_heartbeat_ < config_.lease / 3) return;
    last_heartbeat_ = now_steady;
    for (const auto& [job, connection] : running_jobs_) {
      if (!lost_.count(job)) mine.push_back(job);
    }
  }
  for (const std::string& id : mine) {
    const bool held = store_->renew_lease(id, host_id_, lease_time(config_.lease));
    auto row = store_->job(id);
    std::unique_lock lock(mutex_);
    if (!running_jobs_.count(id)) continue;  // ended meanwhile
    if (!held) {
      // Its lease expired and another host took the job over: this child
      // must not go on writing; the target's run lock keeps the two apart
      // until it has stopped.
      lost_.insert(id);
      lock.unlock();
      log_line("sluice serve: job " + id + ": its lease was taken over by " + (row ? row->claimed_by : "another host") +
               "; stopping its child here");
      launcher_->cancel(id);
    } else if (row && row->cancel_requested) {
      lock.unlock();
      launcher_->cancel(id);  // asked through another host
    }
  }
}

void Daemon::dispatch(std::unique_lock<std::mutex>& lock) {
  const std::string now = lease_time(std::chrono::milliseconds(0));
  // Oldest first; a connection with a job running waits its turn.
  for (const JobRow& job : store_->claimable_jobs(now, 64)) {
    if (stopping_) return;
    if (running_jobs_.count(job.id)) continue;  // ours, its lease only looks expired
    const auto connection = store_->connection(job.connection_id);
    auto gate = gates_.try_acquire(job.connection_id, connection ? connection->plugin : "");
    if (auto* refusal = std::get_if<GateRefusal>(&gate)) {
      if (*refusal == GateRefusal::global_limit) return;
      continue;
    }
    if (!store_->claim_job(job.id, host_id_, lease_time(config_.lease), now)) continue;  // the permit goes back
    permits_.emplace(job.id, std::move(std::get<Permit>(gate)));
    running_jobs_[job.id] = job.connection_id;
    started_at_[job.id] = std::chrono::steady_clock::now();
    const bool takeover = job.status == "running";
    lock.unlock();
    if (takeover) {
      log_line("sluice serve: job " + job.id + " taken over from " + job.claimed_by +
               " (its lease expired); going on from the target's last checkpoint");
    }
    launch(job, takeover);
    lock.lock();
  }
}

void Daemon::launch(const JobRow& job, bool takeover) {
  LaunchSpec spec;
  // The host it was taken from may be alive but stale (frozen past its
  // lease): its child stops once that host's next heartbeat finds the lease
  // gone; until then the target's run lock holds this one back.
  if (takeover) spec.lock_wait = 3 * config_.lease + std::chrono::seconds(30);
  spec.job_id = job.id;
  spec.plugin_dirs = config_.plugin_dirs;
  spec.work_dir = config_.work_dir / job.id;
  try {
    auto row = store_->connection(job.connection_id);
    if (!row) throw std::runtime_error("its connection was deleted");
    spec.connection_json = box_.open(row->sealed);
    boost::json::value file = boost::json::parse(spec.connection_json);
    const auto& source = file.as_object().at("source").as_object();
    if (const auto* config = source.if_contains("config")) {
      for (auto& secret : collect_secret_values(plugins_.schema(row->plugin), *config)) {
        Redactor::instance().add(secret);
      }
    }
    std::filesystem::create_directories(spec.work_dir);
    std::filesystem::permissions(spec.work_dir, std::filesystem::perms::owner_all);
    launcher_->start(spec, *this);
    log_line("sluice serve: job " + job.id + " started (connection " + row->name + ")");
    // A cancel that came between the claim and the start found no child.
    if (auto now = store_->job(job.id); now && now->cancel_requested) launcher_->cancel(job.id);
  } catch (const std::exception& e) {
    LaunchEnd end;
    end.status = "failed";
    end.error = std::string("cannot start: ") + e.what();
    on_end(job.id, end);
  }
}

void Daemon::on_log(const std::string& job_id, const std::string& line) {
  try {
    store_->append_log(job_id, Redactor::instance().apply(line));
  } catch (const std::exception& e) {
    // A lost log line must not take the job down with it.
    log_line("sluice serve: job " + job_id + ": cannot store a log line: " + e.what());
  }
}

void Daemon::on_end(const std::string& job_id, const LaunchEnd& end) {
  auto job = store_->job(job_id);
  if (!job) return;
  bool requeue_it = false;
  bool recorded = false;
  {
    std::lock_guard lock(mutex_);
    job->status = end.status;
    // A child stopped by the daemon's own shutdown was not cancelled by anyone.
    if (stopping_ && end.status == "cancelled" && !job->cancel_requested) {
      job->status = "interrupted";
      requeue_it = true;
    }
    job->finished_at = now_text();
    job->exit_code = end.exit_code;
    job->error = Redactor::instance().apply(job->status == "interrupted" ? "the daemon stopped while the job ran"
                                                                         : end.error);
    job->error_kind = job->status == "failed" ? end.error_kind : "";
    job->records = end.records;
    job->bytes = end.bytes;
    job->streams_json = Redactor::instance().apply(end.streams_json);
    // Only while this host holds the job: one taken over by another host
    // is that host's to finish.
    recorded = !lost_.erase(job_id) && store_->finish_job(*job, host_id_);
    if (recorded) {
      totals_.records += static_cast<uint64_t>(end.records);
      totals_.bytes += static_cast<uint64_t>(end.bytes);
      ++totals_.finished_by_status[job->status];
    }
    if (auto it = started_at_.find(job_id); it != started_at_.end()) {
      if (recorded) {
        totals_.duration_seconds_sum +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
        ++totals_.duration_count;
      }
      started_at_.erase(it);
    }
    running_jobs_.erase(job_id);
    permits_.erase(job_id);
    poked_ = true;
  }
  if (!recorded) {
    log_line("sluice serve: job " + job_id + " stopped here; another host holds it now and records its end");
  } else {
    log_line("sluice serve: job " + job_id + " " + job->status + (job->error.empty() ? "" : ": " + job->error));
    if (requeue_it) requeue(*job, "interrupted by the daemon's shutdown");
  }
  wake_.notify_all();
  job_ended_.notify_all();
}

void Daemon::admit_query(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (stopping_) throw ApiError(503, "stopping", "the daemon is stopping; try another host or later");
  if (queries_.size() >= config_.query.max_concurrent) {
    throw ApiError(429, "too_many_queries",
                   "this host runs " + std::to_string(queries_.size()) + " queries already (query.max_concurrent " +
                       std::to_string(config_.query.max_concurrent) + "); try again when one has ended");
  }
  queries_[id] = nullptr;
}

void Daemon::attach_query(const std::string& id, ChildRun& run) {
  std::lock_guard lock(mutex_);
  queries_[id] = &run;
  if (stopping_) run.cancel();
}

void Daemon::detach_query(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (auto it = queries_.find(id); it != queries_.end()) it->second = nullptr;
}

void Daemon::release_query(const std::string& id) {
  std::lock_guard lock(mutex_);
  queries_.erase(id);
}

std::string Daemon::metrics_text() {
  std::ostringstream out;
  out << "# HELP sluice_syncs Sync jobs in the store by status.\n# TYPE sluice_syncs gauge\n";
  int64_t queued = 0;
  for (const auto& [status, count] : store_->job_counts()) {
    out << "sluice_syncs{status=\"" << status << "\"} " << count << "\n";
    if (status == "queued") queued = count;
  }
  SyncTotals totals;
  size_t running = 0;
  {
    std::lock_guard lock(mutex_);
    totals = totals_;
    running = running_jobs_.size();
  }
  out << "# HELP sluice_syncs_finished_total Sync jobs finished since the daemon started, by status.\n"
         "# TYPE sluice_syncs_finished_total counter\n";
  for (const auto& [status, count] : totals.finished_by_status) {
    out << "sluice_syncs_finished_total{status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP sluice_records_synced_total Records written by finished syncs since start.\n"
         "# TYPE sluice_records_synced_total counter\nsluice_records_synced_total "
      << totals.records << "\n";
  out << "# HELP sluice_bytes_synced_total Bytes read by finished syncs since start.\n"
         "# TYPE sluice_bytes_synced_total counter\nsluice_bytes_synced_total "
      << totals.bytes << "\n";
  out << "# HELP sluice_sync_duration_seconds Wall time of finished syncs since start.\n"
         "# TYPE sluice_sync_duration_seconds summary\nsluice_sync_duration_seconds_sum "
      << totals.duration_seconds_sum << "\nsluice_sync_duration_seconds_count " << totals.duration_count << "\n";
  out << "# HELP sluice_ingest_events_total Events posted to ingest streams since start, by outcome.\n"
         "# TYPE sluice_ingest_events_total counter\n"
      << "sluice_ingest_events_total{status=\"accepted\"} " << ingest_counts_.accepted << "\n"
      << "sluice_ingest_events_total{status=\"duplicate\"} " << ingest_counts_.duplicate << "\n"
      << "sluice_ingest_events_total{status=\"rejected\"} " << ingest_counts_.rejected << "\n";
  out << "# HELP sluice_queue_depth Jobs waiting to start.\n# TYPE sluice_queue_depth gauge\nsluice_queue_depth "
      << queued << "\n";
  out << "# HELP sluice_running_children Sync child processes running now.\n"
         "# TYPE sluice_running_children gauge\nsluice_running_children "
      << running << "\n";
  uint64_t passes = 0;
  TimePoint pass_clock{};
  {
    std::lock_guard lock(mutex_);
    passes = passes_;
    pass_clock = last_pass_clock_;
  }
  out << "# HELP sluice_scheduler_passes_total Scheduler passes finished since start.\n"
         "# TYPE sluice_scheduler_passes_total counter\nsluice_scheduler_passes_total "
      << passes << "\n";
  out << "# HELP sluice_scheduler_clock_seconds The scheduler's clock at its last finished pass (Unix time).\n"
         "# TYPE sluice_scheduler_clock_seconds gauge\nsluice_scheduler_clock_seconds "
      << pass_clock.time_since_epoch().count() << "\n";
  out << "# HELP sluice_http_requests_total HTTP requests answered, by class.\n"
         "# TYPE sluice_http_requests_total counter\n"
      << "sluice_http_requests_total{class=\"all\"} " << counters_.requests.load() << "\n"
      << "sluice_http_requests_total{class=\"4xx\"} " << counters_.client_errors.load() << "\n"
      << "sluice_http_requests_total{class=\"5xx\"} " << counters_.server_errors.load() << "\n";
  return out.str();
}

}  // namespace sluice::host::serve
