// Reading a table's ranges on several connections at once, while only
// read()'s thread emits (plugin.h's rule): each worker decodes its rows into
// chunks of records and hands them over through a bounded RowQueue, so
// memory holds at most a few chunks whatever the table's size. The first
// failure stops every worker (`stop` is what their statements watch to
// cancel themselves) and is rethrown on read()'s thread after all have
// ended; so is a cancel from the host.
#pragma once

#include "sql_common/row_queue.hpp"

#include <sluice/sdk.hpp>

#include <atomic>
#include <functional>

namespace sql_common {

// Where a worker writes records: append one record's text to text(), then
// end_record(). Full chunks go to the queue by themselves.
class ChunkSink {
 public:
  explicit ChunkSink(RowQueue& queue) : queue_(queue) {}
  std::string& text() { return chunk_.text; }
  // How far into its range the record being written is (read_ranges'
  // on_chunk gets the last record's): its key's text, for key ranges read
  // in key order.
  void set_position(std::string_view position) { chunk_.position.assign(position); }
  void end_record() {
    chunk_.end_record();
    if (chunk_.size() >= kChunkRecords) ship();
  }
  // Hands over what is buffered; throws sluice::Cancelled once the read stops.
  void ship();
  // read_ranges' bracket around one range.
  void begin_range(size_t range);
  void end_range();

  static constexpr size_t kChunkRecords = 2000;

 private:
  RowQueue& queue_;
  RecordChunk chunk_;
};

// What read()'s thread learns after emitting (and flushing) each chunk: its
// range, the position of its last record ("" when it had none), and whether
// the range is now wholly emitted. The place to checkpoint.
using ChunkEmitted = std::function<void(size_t range, const std::string& position, bool range_end)>;

// Calls read_range(worker, range, sink) for every range in [0, ranges),
// each on one of `workers` threads (worker in [0, workers)), and emits
// their records through ctx (flushed per chunk, progress counted). A
// range's chunks are emitted in the order its worker wrote them.
void read_ranges(size_t workers, size_t ranges, std::atomic<bool>& stop, sluice::ReadContext& ctx,
                 const std::function<void(size_t worker, size_t range, ChunkSink& sink)>& read_range,
                 const ChunkEmitted& on_chunk = {});

}  // namespace sql_common
