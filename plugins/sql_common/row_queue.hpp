// The hand-over between parallel range readers and read()'s thread, which
// alone may emit: bounded, so memory holds at most `capacity` chunks of
// records whatever the table's size. Closing it wakes every waiter.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sql_common {

// Records as one text, each record's end offset in `ends`, all of one
// range: `position` is the reader's text for how far into it the last
// record is (its key, for key ranges), `range_end` marks the range's last
// chunk (possibly empty).
struct RecordChunk {
  std::string text;
  std::vector<uint32_t> ends;
  size_t range = 0;
  std::string position;
  bool range_end = false;
  size_t size() const { return ends.size(); }
  std::string_view record(size_t i) const {
    const uint32_t begin = i ? ends[i - 1] : 0;
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  void end_record() { ends.push_back(static_cast<uint32_t>(text.size())); }
};

class RowQueue {
 public:
  explicit RowQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while full; false once closed (the chunk is dropped).
  bool push(RecordChunk chunk) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || chunks_.size() < capacity_; });
    if (closed_) return false;
    chunks_.push_back(std::move(chunk));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty; nullopt once closed, or once every producer is done
  // and the queue is drained.
  std::optional<RecordChunk> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !chunks_.empty() || producers_ == 0; });
    if (closed_ || chunks_.empty()) return std::nullopt;
    RecordChunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    not_full_.notify_one();
    return chunk;
  }
  void add_producer() {
    std::lock_guard lock(mutex_);
    ++producers_;
  }
  void producer_done() {
    std::lock_guard lock(mutex_);
    --producers_;
    not_empty_.notify_all();
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<RecordChunk> chunks_;
  size_t capacity_;
  size_t producers_ = 0;
  bool closed_ = false;
};

}  // namespace sql_common
