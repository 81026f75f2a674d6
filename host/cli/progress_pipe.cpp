#include "host/cli/progress_pipe.hpp"

#include "host/cli/args.hpp"
#include "host/config/secrets.hpp"
#include "host/sync/clock.hpp"
#include "host/sync/sync_engine.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>

#include <cerrno>

namespace sluice::host::cli {

namespace json = boost::json;

namespace {

bool retryable(const std::string& kind) { return kind == "transient" || kind == "rate_limited"; }

// The kind that decides a retry of a sync whose streams failed: retryable
// only when every failed stream's kind is.
std::string deciding_kind(const SyncResult& result) {
  std::string kind;
  for (const auto& s : result.streams) {
    if (s.status != RunStatus::failed) continue;
    if (!retryable(s.error_kind)) return s.error_kind.empty() ? "unknown" : s.error_kind;
    if (kind != "rate_limited") kind = s.error_kind;
  }
  return kind;
}

}  // namespace

const char* failure_name(Failure failure) {
  switch (failure) {
    case Failure::usage: return "usage";
    case Failure::config: return "config";
    case Failure::plugin_load: return "plugin_load";
    case Failure::plugin: return "plugin";
    case Failure::target: return "target";
    case Failure::cancelled: return "cancelled";
    case Failure::internal: return "internal";
  }
  return "internal";
}

ProgressPipe::ProgressPipe(int fd, SyncListener& inner, std::chrono::milliseconds progress_interval)
    : fd_(fd), inner_(inner), interval_(progress_interval) {
  ::signal(SIGPIPE, SIG_IGN);
  if (::pipe2(stop_watch_, O_CLOEXEC) != 0) return;  // no watcher: events still flow
  watcher_ = std::thread([this] {
    pollfd fds[2] = {{fd_, 0, 0}, {stop_watch_[0], POLLIN, 0}};
    while (true) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents) return;
      if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        ::kill(::getpid(), SIGTERM);  // the cancel the CLI already handles
        return;
      }
    }
  });
}

ProgressPipe::~ProgressPipe() {
  if (watcher_.joinable()) {
    const char byte = 's';
    [[maybe_unused]] ssize_t n = ::write(stop_watch_[1], &byte, 1);
    watcher_.join();
  }
  for (int end : stop_watch_) {
    if (end >= 0) ::close(end);
  }
}

void ProgressPipe::write_event(json::object event) {
  std::string line;
  {
    json::object out{{"event", event.at("event")}, {"at", utc_now_iso()}};
    for (auto& field : event) {
      if (field.key() != "event") out[field.key()] = std::move(field.value());
    }
    line = Redactor::instance().apply(json::serialize(out)) + "\n";
  }
  std::lock_guard lock(mutex_);
  if (broken_) return;
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      broken_ = true;  // the reader went away; the exit code still tells
      return;
    }
    done += static_cast<size_t>(n);
  }
}

void ProgressPipe::stream_started(const StreamPlan& plan) {
  inner_.stream_started(plan);
  {
    std::lock_guard lock(mutex_);
    last_progress_.erase(plan.display_name());
    last_bytes_.erase(plan.display_name());
  }
  write_event({{"event", "stream_started"},
               {"stream", plan.display_name()},
               {"table", plan.table.display()},
               {"mode", to_string(plan.mode)}});
}

void ProgressPipe::stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) {
  inner_.stream_progress(plan, records, bytes, seconds);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    last_bytes_[plan.display_name()] = bytes;  // for stream_done, whatever the throttle skips
    auto [last, first] = last_progress_.try_emplace(plan.display_name(), now);
    if (!first && now - last->second < interval_) return;
    last->second = now;
  }
  write_event({{"event", "progress"},
               {"stream", plan.display_name()},
               {"records", records},
               {"bytes", bytes},
               {"seconds", seconds}});
}

void ProgressPipe::checkpoint_committed(const StreamPlan& plan, uint64_t records_committed) {
  inner_.checkpoint_committed(plan, records_committed);
  write_event({{"event", "checkpoint"}, {"stream", plan.display_name()}, {"records", records_committed}});
}

void ProgressPipe::stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) {
  inner_.stream_finished(plan, outcome);
  uint64_t bytes = 0;
  {
    std::lock_guard lock(mutex_);
    bytes = last_bytes_[plan.display_name()];
  }
  write_event({{"event", "stream_done"},
               {"stream", plan.display_name()},
               {"status", to_string(outcome.status)},
               {"records", outcome.records},
               {"bytes", bytes},
               {"seconds", outcome.seconds},
               {"error_kind", outcome.error_kind},
               {"error", outcome.error}});
}

void ProgressPipe::log(int32_t level, std::string_view message) { inner_.log(level, message); }

void ProgressPipe::sync_done(const SyncResult& result, int exit_code) {
  std::string failure, kind;
  if (result.status == RunStatus::cancelled) {
    failure = "cancelled";
  } else if (result.status != RunStatus::succeeded) {
    failure = "stream";
    kind = deciding_kind(result);
  }
  write_event({{"event", "sync_done"},
               {"sync_id", result.sync_id},
               {"status", to_string(result.status)},
               {"exit_code", exit_code},
               {"failure", failure},
               {"error_kind", kind},
               {"message", result.errors.empty() ? std::string() : result.errors.front()}});
}

void ProgressPipe::sync_done(const HostError& error, int exit_code) {
  const bool cancelled = error.failure() == Failure::cancelled;
  write_event({{"event", "sync_done"},
               {"sync_id", ""},
               {"status", cancelled ? "cancelled" : "failed"},
               {"exit_code", exit_code},
               {"failure", failure_name(error.failure())},
               {"error_kind", error.failure() == Failure::plugin ? to_string(error.kind()) : ""},
               {"message", error.lines().empty() ? std::string() : error.lines().front()}});
}

int progress_fd(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 4;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  const int fd = digits ? std::stoi(text) : -1;
  if (fd < 3 || fd > 1023) {
    throw UsageError("--progress-fd: expected a descriptor number from 3 to 1023, got \"" + text + "\"");
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY) {
    throw UsageError("--progress-fd " + text + ": not a descriptor open for writing");
  }
  return fd;
}

}  // namespace sluice::host::cli
