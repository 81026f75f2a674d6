#include "host/serve/child_launcher.hpp"

#include "host/serve/child_process.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace sluice::host::serve {

namespace {

// The plugin the connection runs, for the outcome's line ("" if unreadable:
// the child then fails saying why itself).
std::string plugin_of(const std::string& connection_json) {
  boost::json::error_code ec;
  boost::json::value file = boost::json::parse(connection_json, ec);
  if (ec || !file.is_object()) return "";
  const auto* source = file.as_object().if_contains("source");
  if (!source || !source->is_object()) return "";
  const auto* plugin = source->as_object().if_contains("plugin");
  return plugin && plugin->is_string() ? std::string(plugin->as_string()) : "";
}

LaunchProgress snapshot(const RunProgress& progress) {
  LaunchProgress now;
  now.records = static_cast<int64_t>(progress.records_committed());
  now.bytes = static_cast<int64_t>(progress.bytes());
  now.streams_json = boost::json::serialize(progress.streams_json());
  return now;
}

// The daemon's statuses: what the runner tells apart beyond them (timeout,
// crash, memory) is in the error line.
LaunchEnd end_of(const RunOutcome& outcome, const RunProgress& progress) {
  LaunchEnd end;
  switch (outcome.end) {
    case RunEnd::succeeded: end.status = "succeeded"; break;
    case RunEnd::cancelled: end.status = "cancelled"; break;
    default:
      end.status = "failed";
      end.error = outcome.line;
      end.error_kind = outcome.error_kind;
  }
  if (outcome.exit_code >= 0) end.exit_code = outcome.exit_code;
  const LaunchProgress counts = snapshot(progress);
  end.records = counts.records;
  end.bytes = counts.bytes;
  end.streams_json = counts.streams_json;
  return end;
}

}  // namespace

ChildLauncher::ChildLauncher(ChildLauncherOptions options) : options_(std::move(options)) {
  if (options_.executable.empty()) options_.executable = kSelfExecutable;
}

ChildLauncher::~ChildLauncher() { stop_all(); }

void ChildLauncher::start(const LaunchSpec& spec, LaunchListener& listener) {
  auto progress = std::make_shared<RunProgress>();
  ChildRunOptions run;
  run.executable = options_.executable;
  // The connection, secrets in clear, goes through the child's stdin: never
  // a file, and never its argv or environment (which /proc shows).
  run.args = {"sync", "-"};
  run.input = spec.connection_json;
  run.working_dir = spec.work_dir.string();  // relative {"$file"} references resolve here
  for (const auto& dir : spec.plugin_dirs) {
    run.args.push_back("--plugin-dir");
    run.args.push_back(dir);
  }
  if (spec.lock_wait.count() > 0) {
    run.args.push_back("--wait");
    run.args.push_back(std::to_string(spec.lock_wait.count()));
  }
  run.plugin = plugin_of(spec.connection_json);
  run.on_output = [&listener, id = spec.job_id](std::string_view output) {
    // A progress display redraws with '\r': its last state is the line.
    std::string line(output.substr(output.rfind('\r') == std::string_view::npos ? 0 : output.rfind('\r') + 1));
    if (!line.empty()) listener.on_log(id, line);
  };
  run.on_progress = [progress](const ProgressEvent& event) { progress->apply(event); };
  run.timeout = options_.timeout;
  run.grace = options_.grace;
  run.memory_limit_bytes = options_.memory_limit_bytes;
  std::lock_guard lock(mutex_);
  Job& job = jobs_[spec.job_id];
  try {
    job.run = std::make_unique<ChildRun>(std::move(run));
  } catch (const std::exception& e) {
    jobs_.erase(spec.job_id);
    throw std::runtime_error(e.what());
  }
  job.progress = progress;
  job.waiter = std::thread(&ChildLauncher::wait_for, this, spec.job_id, &listener);
}

void ChildLauncher::wait_for(std::string job_id, LaunchListener* listener) {
  ChildRun* run = nullptr;
  std::shared_ptr<RunProgress> progress;
  {
    std::lock_guard lock(mutex_);
    run = jobs_.at(job_id).run.get();
    progress = jobs_.at(job_id).progress;
  }
  LaunchEnd end;
  try {
    end = end_of(run->wait(), *progress);
  } catch (const std::exception& e) {
    end.status = "failed";
    end.error = std::string("lost the sync's child: ") + e.what();
  }
  // Before the job leaves jobs_: its live progress is there until the
  // daemon has recorded the end.
  listener->on_end(job_id, end);
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(job_id);
    finished_.push_back(std::move(it->second.waiter));
    jobs_.erase(it);  // the ChildRun: reaped, or killed and reaped if wait() threw
  }
  ended_.notify_all();
}

void ChildLauncher::cancel(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  if (auto it = jobs_.find(job_id); it != jobs_.end()) it->second.run->cancel();
}

void ChildLauncher::stop_all() {
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, job] : jobs_) job.run->cancel();
  }
  std::vector<std::thread> done;
  {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [&] { return jobs_.empty(); });
    done.swap(finished_);
  }
  for (auto& t : done) {
    if (t.joinable()) t.join();
  }
}

size_t ChildLauncher::running() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

std::optional<LaunchProgress> ChildLauncher::progress(const std::string& job_id) const {
  std::shared_ptr<RunProgress> progress;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return std::nullopt;
    progress = it->second.progress;
  }
  return snapshot(*progress);
}

}  // namespace sluice::host::serve
