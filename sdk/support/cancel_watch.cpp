#include "cancel_watch.hpp"

#include <sys/socket.h>

namespace sluice::support::detail {

CancelWatch::CancelWatch(std::function<bool()> cancelled, std::chrono::milliseconds every)
    : cancelled_(std::move(cancelled)), every_(every) {}

CancelWatch::~CancelWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

CancelWatch::Armed CancelWatch::arm(int fd) {
  {
    std::lock_guard lock(mutex_);
    fd_ = fd;
    fired_ = false;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_all();
  return Armed(this);
}

CancelWatch::Armed& CancelWatch::Armed::operator=(Armed&& other) noexcept {
  if (this != &other) {
    disarm();
    watch_ = other.watch_;
    fired_ = other.fired_;
    other.watch_ = nullptr;
  }
  return *this;
}

bool CancelWatch::Armed::disarm() {
  if (watch_) {
    std::lock_guard lock(watch_->mutex_);
    fired_ = watch_->fired_;
    watch_->fd_ = -1;
    watch_->fired_ = false;
    watch_ = nullptr;
  }
  return fired_;
}

void CancelWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (fd_ < 0 || fired_) {
      wake_.wait(lock);
      continue;
    }
    wake_.wait_for(lock, every_);
    if (fd_ >= 0 && !fired_ && !stopping_ && cancelled_()) {
      ::shutdown(fd_, SHUT_RDWR);
      fired_ = true;
    }
  }
}

}  // namespace sluice::support::detail
