// Interrupts a blocked socket call when the run is cancelled.
//
// A request blocked waiting for an answer (a slow query, a server that never
// answers) would otherwise see a cancel only when its read timeout ends, a
// minute by default. While a socket is armed, a thread of the watch asks
// `cancelled` every `every` and, once it says yes, shuts the socket down with
// shutdown(2): the blocked recv returns at once and the call throws. Only
// that syscall touches the socket from the watch's thread (never OpenSSL
// state), and only while armed: disarm() returns before the owner may close
// the descriptor, so a reused descriptor number is never shut down.
//
// One socket at a time (an HttpClient sends one request at a time). The
// thread starts on the first arm() and is joined by the destructor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sluice::support::detail {

class CancelWatch {
 public:
  explicit CancelWatch(std::function<bool()> cancelled,
                       std::chrono::milliseconds every = std::chrono::milliseconds(100));
  ~CancelWatch();
  CancelWatch(const CancelWatch&) = delete;
  CancelWatch& operator=(const CancelWatch&) = delete;

  // Watching one socket until disarmed (or destroyed).
  class Armed {
   public:
    Armed() = default;
    Armed(Armed&& other) noexcept : watch_(other.watch_) { other.watch_ = nullptr; }
    Armed& operator=(Armed&& other) noexcept;
    ~Armed() { disarm(); }
    // Stops watching; true when the watch shut the socket down (the call that
    // failed failed because of the cancel). Idempotent.
    bool disarm();

   private:
    friend class CancelWatch;
    explicit Armed(CancelWatch* watch) : watch_(watch) {}
    CancelWatch* watch_ = nullptr;
    bool fired_ = false;
  };

  Armed arm(int fd);

 private:
  void run();

  std::function<bool()> cancelled_;
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int fd_ = -1;  // the armed socket; -1 when none
  bool fired_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sluice::support::detail
