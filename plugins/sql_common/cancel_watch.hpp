// A thread that stops a statement at its source when the host cancels: for
// clients that block inside a call (MySQL's Connector/C) and so cannot poll
// the cancel flag themselves. The flag has no event to wait on: the watch
// polls `stopped` every 100 ms and calls `stop` (which reaches the server
// from another connection: KILL QUERY) at most once. Joined on destruction.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sql_common {

class CancelWatch {
 public:
  CancelWatch(std::function<bool()> stopped, std::function<void()> stop)
      : stopped_(std::move(stopped)), stop_(std::move(stop)), thread_([this] { run(); }) {}
  ~CancelWatch() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  CancelWatch(const CancelWatch&) = delete;
  CancelWatch& operator=(const CancelWatch&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      if (stopped_()) {
        lock.unlock();
        stop_();
        return;
      }
      wake_.wait_for(lock, std::chrono::milliseconds(100));
    }
  }

  std::function<bool()> stopped_;
  std::function<void()> stop_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace sql_common
