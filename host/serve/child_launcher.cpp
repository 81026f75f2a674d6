#include "host/serve/child_launcher.hpp"

#include "host/serve/child_process.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sluice::host::serve {

namespace {

void write_private_file(const std::filesystem::path& file, const std::string& text) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + file.string());
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The outcome from the exit status and the --json summary on stdout.
LaunchEnd outcome(int status, const std::string& summary, const std::vector<std::string>& log) {
  LaunchEnd end;
  boost::json::error_code ec;
  boost::json::value parsed = boost::json::parse(summary, ec);
  if (!ec && parsed.is_object()) {
    if (const auto* streams = parsed.as_object().if_contains("streams"); streams && streams->is_array()) {
      end.streams_json = boost::json::serialize(*streams);
      for (const auto& s : streams->as_array()) {
        if (!s.is_object()) continue;
        if (const auto* r = s.as_object().if_contains("records"); r && r->is_number()) {
          end.records += r->to_number<int64_t>();
        }
      }
    }
  }
  if (WIFEXITED(status)) {
    end.exit_code = WEXITSTATUS(status);
    end.status = *end.exit_code == 0 ? "succeeded" : *end.exit_code == 130 ? "cancelled" : "failed";
  } else {
    end.status = "failed";
  }
  if (end.status == "failed") {
    // The child's last "error: " line says why; a signal says itself.
    for (auto it = log.rbegin(); it != log.rend() && end.error.empty(); ++it) {
      if (it->rfind("error: ", 0) == 0) end.error = it->substr(7);
    }
    if (end.error.empty()) end.error = "sluice sync: " + status_text(status);
  }
  return end;
}

}  // namespace

ChildLauncher::~ChildLauncher() { stop_all(); }

void ChildLauncher::start(const LaunchSpec& spec, LaunchListener& listener) {
  const auto file = spec.work_dir / "connection.json";
  write_private_file(file, spec.connection_json);
  std::vector<std::string> argv = {kSelfExecutable, "sync", file.string(), "--json"};
  for (const auto& dir : spec.plugin_dirs) {
    argv.push_back("--plugin-dir");
    argv.push_back(dir);
  }
  std::lock_guard lock(mutex_);
  pid_t pid = spawn_to_files(argv, spec.work_dir / "summary.json", spec.work_dir / "stderr.log");
  Child& child = children_[spec.job_id];
  child.pid = pid;
  child.waiter = std::thread(&ChildLauncher::wait_for, this, spec.job_id, pid, spec, &listener);
}

void ChildLauncher::wait_for(std::string job_id, pid_t pid, LaunchSpec spec, LaunchListener* listener) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::error_code ignored;
  std::filesystem::remove(spec.work_dir / "connection.json", ignored);
  std::vector<std::string> log;
  std::istringstream lines(read_file(spec.work_dir / "stderr.log"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Live progress lines end in '\r' runs; keep the last state of each.
    if (auto cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    if (!line.empty()) log.push_back(line);
  }
  for (const auto& line : log) listener->on_log(job_id, line);
  const LaunchEnd end = outcome(status, read_file(spec.work_dir / "summary.json"), log);
  {
    std::lock_guard lock(mutex_);
    auto it = children_.find(job_id);
    it->second.ended = true;
    finished_.push_back(std::move(it->second.waiter));
    children_.erase(it);
  }
  ended_.notify_all();
  listener->on_end(job_id, end);
}

void ChildLauncher::cancel(const std::string& job_id) {
  pid_t pid = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = children_.find(job_id);
    if (it == children_.end()) return;
    pid = it->second.pid;
  }
  ::kill(pid, SIGTERM);
  std::lock_guard lock(mutex_);
  graces_.emplace_back([this, job_id] { kill_after_grace(job_id); });
}

void ChildLauncher::kill_after_grace(const std::string& job_id) {
  std::unique_lock lock(mutex_);
  if (!ended_.wait_for(lock, grace_, [&] { return !children_.count(job_id); })) {
    ::kill(children_.at(job_id).pid, SIGKILL);
  }
}

void ChildLauncher::stop_all() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& kv : children_) ids.push_back(kv.first);
  }
  for (const auto& id : ids) cancel(id);
  std::vector<std::thread> done;
  {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [&] { return children_.empty(); });
    done.swap(finished_);
    for (auto& t : graces_) done.push_back(std::move(t));
    graces_.clear();
  }
  for (auto& t : done) {
    if (t.joinable()) t.join();
  }
}

size_t ChildLauncher::running() const {
  std::lock_guard lock(mutex_);
  return children_.size();
}

}  // namespace sluice::host::serve
