// Writes an ingest request's rows through the target engine syncs use:
// one transaction per request holding every new row, with the event id
// under the table's unique index. A row whose id is stored already (by an
// earlier request, a concurrent one, another daemon) is skipped by the
// insert itself (WriteOptions::keep_existing), and reading the batch's ids
// back in the same transaction (Target::rows_by_key) tells which rows this
// request stored: those carrying its request id in _sluice_sync_id. The
// others are duplicates, with the time their first copy arrived
// (_sluice_extracted_at). Nothing is reported before the commit returns.
//
// An IngestSession is one target session kept between requests (its
// prepared tables and writer are reused); an IngestPool lends sessions per
// target URL to the daemon's request threads.
#pragma once

#include "host/ingest/event_batch.hpp"
#include "host/ingest/ingest_stream.hpp"
#include "host/target/target.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::host {

class IngestSession {
 public:
  explicit IngestSession(std::unique_ptr<Target> target) : target_(std::move(target)) {}

  Target& target() { return *target_; }

  // The stream's table: created if missing, new properties added as
  // columns, the unique index on the id column made; the columns come back
  // with the types of the existing table where they differ (as syncs keep
  // them). Done once per session and declaration. Throws TargetError.
  const IngestTable& prepare(const IngestStream& stream);

  // Stores `batch`'s rows in one transaction and sets each row's outcome to
  // accepted or duplicate (first_received_at). A transaction the engine
  // picked as a deadlock victim runs again (a few times). Throws
  // TargetError (nothing is stored then; the session must not be used
  // again).
  void write(const IngestTable& table, EventBatch& batch, const std::string& request_id);

 private:
  void write_once(const IngestTable& table, EventBatch& batch, const std::string& request_id);

  std::unique_ptr<Target> target_;
  std::map<std::string, IngestTable> prepared_;  // by declaration
  // One writer at a time: PostgreSQL's keeps a session-wide temporary table.
  std::string writer_table_;
  std::unique_ptr<TableWriter> writer_;
};

class IngestPool {
 public:
  using Opener = std::function<std::unique_ptr<Target>(const std::string& url)>;
  explicit IngestPool(Opener opener = open_target, size_t max_idle_per_url = 8)
      : opener_(std::move(opener)), max_idle_(max_idle_per_url) {}

  // A session of `url`: an idle one, or a new one. Give it back with
  // release(); drop it instead after a failure.
  std::unique_ptr<IngestSession> acquire(const std::string& url);
  void release(const std::string& url, std::unique_ptr<IngestSession> session);

 private:
  Opener opener_;
  size_t max_idle_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<IngestSession>>> idle_;
};

}  // namespace sluice::host
