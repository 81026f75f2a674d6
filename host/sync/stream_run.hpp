// One stream of one sync: prepares its tables and runs it as a pipeline of
// three threads, so reading, mapping and SQL overlap (limits.md: nearly 2x
// on two cores):
//   plugin thread  read(); emit_records / emit_record_batch / emit_state
//                  only copy what they get into parse_queue_ (the
//                  plugin's emit returns at once);
//   mapper thread  parses and maps each batch into typed rows, checks keys
//                  and checkpoints, and passes rows and checkpoints on, in
//                  emit order, to queue_;
//   writer thread  owns the target: writes rows, commits with checkpoints.
// Both queues are bounded, so memory is bounded by them (a few batches of
// at most ReadContext::kBatchBytes), never by a source's page size, and a
// slow target slows the plugin's emits down (back-pressure).
//
// A record the mapper refuses stops the pipeline at that batch: nothing of
// it or after it reaches the writer, the plugin's next emit is refused with
// the mapper's message, and the stream fails in those words even when the
// bad batch was the plugin's last emit (read() had already returned).
//
// Exactly-once: rows are written inside an open transaction that commits
// only together with a state checkpoint (incremental modes) or together with
// the final swap / append of the staging table (full refresh modes). Any
// failure, cancel, crash or kill therefore leaves the target as of the last
// checkpoint, and a full refresh leaves the previous table untouched. A full
// refresh whose plugin declares resume points also commits its staging rows
// with each of them, so the next run continues there (kept_staging.hpp).
#pragma once

#include "host/plugin/host_callbacks.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/sync/batch_queue.hpp"
#include "host/sync/record_mapper.hpp"
#include "host/sync/sync_listener.hpp"
#include "host/target/target.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

class StreamRun : public HostCallbacks {
 public:
  // `write_turn`: set when streams run in parallel on a single-writer
  // engine (Dialect::single_writer): the writer holds it from the first
  // statement of a transaction to its commit or rollback, and a full
  // refresh commits its staging table after every batch so others get
  // turns (the live table changes only with the final swap).
  StreamRun(const StreamPlan& plan, Target& target, SyncListener& listener, std::string sync_id,
            const std::atomic<bool>& cancel_flag, std::mutex* write_turn = nullptr);

  // Runs the stream to the end. Never throws: failures are in the outcome.
  StreamOutcome run(PluginSession& session, const std::optional<std::string>& saved_state);

  // HostCallbacks, called by the plugin from inside read().
  void records(std::string_view ns, std::string_view stream, std::string_view ndjson) override;
  void record_batch(std::string_view ns, std::string_view stream, const sluice_record_batch* batch) override;
  void state(std::string_view ns, std::string_view stream, std::string_view state_json) override;
  void log(int32_t level, std::string_view message) override;
  void progress(std::string_view, std::string_view, int64_t done, int64_t total) override {
    listener_.stream_completion(plan_, done, total);
  }
  bool cancelled() override { return cancel_flag_.load(); }

  // The JSON the plugin's read() receives for this stream.
  std::string configured_catalog_json() const;
  std::string state_document(const std::optional<std::string>& saved_state) const;

 private:
  // What the plugin emitted, in order, not yet parsed.
  struct Emitted {
    enum class Kind { records, cells, state, end } kind = Kind::records;
    std::string text;          // NDJSON records or the state document
    std::string extracted_at;  // when the plugin emitted the records
    RecordBatchCopy cells;     // typed records (ABI 1.4)
  };
  struct WorkItem {
    enum class Kind { rows, state, end } kind = Kind::rows;
    RowBatch batch;
    std::string state_json;
    bool resume_point = false;  // a full refresh's declared resume point (kept_staging.hpp)
  };

  void prepare_tables();
  void prepare_live_table(const std::optional<std::vector<ColumnDef>>& existing);
  void keep_existing_types(const std::vector<ColumnDef>& existing);
  void mapper_loop();
  void map_one(Emitted& emitted);
  void fail_mapping(const std::string& message);
  void writer_loop();
  void begin_transaction();
  void commit_transaction();
  void rollback_transaction();
  void finish_stream();
  void check_stream(std::string_view ns, std::string_view stream) const;
  // Throws PluginError(source) naming the first record of `batch` whose key
  // cell is NULL (incremental_append_dedup only).
  void require_keys(const RowBatch& batch) const;
  std::string writer_error() const;
  std::string mapper_error() const;
  // Throws what stops the plugin's emits: a cancel, a failed target or a
  // refused record.
  void throw_if_stopped() const;
  double elapsed() const;

  const StreamPlan& plan_;
  Target& target_;
  SyncListener& listener_;
  std::string sync_id_;
  const std::atomic<bool>& cancel_flag_;
  std::mutex* write_turn_;
  std::unique_lock<std::mutex> turn_;  // writer thread (and prepare_tables before it)
  TableRef staging_;
  // The checkpoint of the interrupted full refresh this run continues in
  // staging_ (kept_staging.hpp), passed to the plugin as the stream's state.
  std::optional<std::string> resume_state_;
  bool full_refresh_;
  // The columns rows are typed and written with: the plan's, except that a
  // field whose type changed keeps the type of its existing column
  // (values that do not fit it go to _sluice_uncast), alike on every engine.
  std::vector<ColumnDef> columns_;
  std::optional<RecordMapper> mapper_;
  std::vector<size_t> key_indexes_;  // dedup key columns in plan_.columns
  // 8 batches each way (a batch: one emit_records call, at most the SDK's
  // 2,000 records or 1 MiB). At 4 the three threads stalled on each other
  // on two cores: 27% of the CPU idle during a BigQuery sync (bench_http,
  // 1 M rows into SQLite, 308 k rows/s); at 8 and 16 334-357 k rows/s, 8
  // with 3-4 MB less peak RSS; 64 gained nothing.
  BatchQueue<Emitted> parse_queue_{8};  // plugin thread -> mapper thread
  BatchQueue<WorkItem> queue_{8};       // mapper thread -> writer thread
  std::chrono::steady_clock::time_point started_;

  uint64_t received_ = 0;          // mapper thread only
  uint64_t received_bytes_ = 0;    // mapper thread only
  bool state_size_warned_ = false; // mapper thread only
  uint64_t pending_ = 0;           // writer thread: written, not yet committed
  uint64_t uncommitted_at_end_ = 0;
  std::atomic<uint64_t> committed_{0};
  std::atomic<bool> writer_failed_{false};
  std::atomic<bool> writer_finished_{false};
  std::atomic<bool> mapper_failed_{false};
  mutable std::mutex error_mutex_;
  std::string writer_error_;
  std::string mapper_error_;
};

}  // namespace sluice::host
