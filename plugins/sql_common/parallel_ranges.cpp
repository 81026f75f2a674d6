#include "sql_common/parallel_ranges.hpp"

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sql_common {

void ChunkSink::ship() {
  if (chunk_.size() == 0 && !chunk_.range_end) return;
  const size_t range = chunk_.range;
  if (!queue_.push(std::move(chunk_))) throw sluice::Cancelled();
  chunk_ = {};
  chunk_.range = range;
}

void ChunkSink::begin_range(size_t range) {
  chunk_ = {};
  chunk_.range = range;
}

void ChunkSink::end_range() {
  chunk_.range_end = true;
  ship();
}

void read_ranges(size_t workers, size_t ranges, std::atomic<bool>& stop, sluice::ReadContext& ctx,
                 const std::function<void(size_t worker, size_t range, ChunkSink& sink)>& read_range,
                 const ChunkEmitted& on_chunk) {
  RowQueue queue(2 * workers + 2);
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&](size_t worker) {
    try {
      ChunkSink sink(queue);
      for (size_t range = next++; range < ranges && !stop; range = next++) {
        sink.begin_range(range);
        read_range(worker, range, sink);
        sink.end_range();
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error && !stop) error = std::current_exception();
      stop = true;
      queue.close();
    }
    queue.producer_done();
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers; ++i) queue.add_producer();
  for (size_t i = 0; i < workers; ++i) threads.emplace_back(work, i);
  int64_t done = 0;
  try {
    while (auto chunk = queue.pop()) {
      if (chunk->size() > 0) {
        for (size_t i = 0; i < chunk->size(); ++i) ctx.emit_serialized(chunk->record(i));
        done += static_cast<int64_t>(chunk->size());
        ctx.flush();
        ctx.progress(done);
      }
      if (on_chunk) on_chunk(chunk->range, chunk->size() > 0 ? chunk->position : std::string(), chunk->range_end);
    }
  } catch (...) {
    stop = true;
    queue.close();
    for (auto& thread : threads) thread.join();
    throw;
  }
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
  if (stop) throw sluice::Cancelled();
}

}  // namespace sql_common
