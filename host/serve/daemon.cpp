#include "host/serve/daemon.hpp"

#include "host/config/secrets.hpp"
#include "host/sync/clock.hpp"

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

// Not renewed yet: a lease is a placeholder until several hosts share one
// store (the claim sets it; heartbeats will renew it).
std::string lease_until(std::chrono::seconds ahead) {
  std::time_t t = std::time(nullptr) + ahead.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
  return text;
}

void log_line(const std::string& line) {
  const std::string text = Redactor::instance().apply(line) + "\n";
  std::cerr << text << std::flush;
}

}  // namespace

Daemon::Daemon(ServeConfig config, std::unique_ptr<SyncLauncher> launcher)
    : config_(std::move(config)),
      host_id_(config_.host_id.empty() ? default_host_id() : config_.host_id),
      store_(std::make_unique<Store>(config_.store_url)),
      box_(SecretBox::from_config(config_)),
      plugins_(config_.plugin_dirs),
      launcher_(std::move(launcher)) {
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
  wake_.notify_all();
  return job;
}

bool Daemon::cancel(const std::string& job_id) {
  std::unique_lock lock(mutex_);
  auto job = store_->job(job_id);
  if (!job || (job->status != "queued" && job->status != "running")) return false;
  store_->request_cancel(job_id);
  if (job->status == "queued" && !running_jobs_.count(job_id)) {
    job->status = "cancelled";
    job->finished_at = utc_now_iso();
    job->error = "cancelled before it started";
    store_->finish_job(*job);
    ++totals_.finished_by_status["cancelled"];
    job_ended_.notify_all();
    return true;
  }
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
    if (running_jobs_.size() < config_.max_concurrent_syncs) {
      // Oldest first; a connection with a job running waits its turn.
      for (const JobRow& job : store_->queued_jobs(64)) {
        if (running_jobs_.size() >= config_.max_concurrent_syncs) break;
        if (running_connections_.count(job.connection_id)) continue;
        if (!store_->claim_job(job.id, host_id_, lease_until(std::chrono::seconds(30)))) continue;
        running_connections_.insert(job.connection_id);
        running_jobs_[job.id] = job.connection_id;
        started_at_[job.id] = std::chrono::steady_clock::now();
        lock.unlock();
        launch(job);
        lock.lock();
      }
    }
    wake_.wait(lock);
  }
}

void Daemon::launch(const JobRow& job) {
  LaunchSpec spec;
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
  int64_t number = 0;
  {
    std::lock_guard lock(mutex_);
    number = ++log_lines_[job_id];
  }
  store_->append_log(job_id, number, Redactor::instance().apply(line));
}

void Daemon::on_end(const std::string& job_id, const LaunchEnd& end) {
  auto job = store_->job(job_id);
  if (!job) return;
  bool requeue_it = false;
  {
    std::lock_guard lock(mutex_);
    job->status = end.status;
    // A child stopped by the daemon's own shutdown was not cancelled by anyone.
    if (stopping_ && end.status == "cancelled" && !job->cancel_requested) {
      job->status = "interrupted";
      requeue_it = true;
    }
    job->finished_at = utc_now_iso();
    job->exit_code = end.exit_code;
    job->error = Redactor::instance().apply(job->status == "interrupted" ? "the daemon stopped while the job ran"
                                                                         : end.error);
    job->records = end.records;
    job->bytes = end.bytes;
    job->streams_json = Redactor::instance().apply(end.streams_json);
    store_->finish_job(*job);
    totals_.records += static_cast<uint64_t>(end.records);
    totals_.bytes += static_cast<uint64_t>(end.bytes);
    ++totals_.finished_by_status[job->status];
    if (auto it = started_at_.find(job_id); it != started_at_.end()) {
      totals_.duration_seconds_sum +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
      ++totals_.duration_count;
      started_at_.erase(it);
    }
    if (auto it = running_jobs_.find(job_id); it != running_jobs_.end()) {
      running_connections_.erase(it->second);
      running_jobs_.erase(it);
    }
    log_lines_.erase(job_id);
  }
  log_line("sluice serve: job " + job_id + " " + job->status + (job->error.empty() ? "" : ": " + job->error));
  if (requeue_it) requeue(*job, "interrupted by the daemon's shutdown");
  wake_.notify_all();
  job_ended_.notify_all();
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
  out << "# HELP sluice_queue_depth Jobs waiting to start.\n# TYPE sluice_queue_depth gauge\nsluice_queue_depth "
      << queued << "\n";
  out << "# HELP sluice_running_children Sync child processes running now.\n"
         "# TYPE sluice_running_children gauge\nsluice_running_children "
      << running << "\n";
  out << "# HELP sluice_http_requests_total HTTP requests answered, by class.\n"
         "# TYPE sluice_http_requests_total counter\n"
      << "sluice_http_requests_total{class=\"all\"} " << counters_.requests.load() << "\n"
      << "sluice_http_requests_total{class=\"4xx\"} " << counters_.client_errors.load() << "\n"
      << "sluice_http_requests_total{class=\"5xx\"} " << counters_.server_errors.load() << "\n";
  return out.str();
}

}  // namespace sluice::host::serve
