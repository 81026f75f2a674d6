// Backfills: corrections of pushed events (docs/ingest.md#backfills). A
// backfill replaces every event of a stream whose time is in [from, to)
// (and, optionally, of one customer) with the events it carries, in one
// target transaction: the rows in range move to the stream's kept table
// (target/kept_rows.hpp) tagged with the backfill's id, and the new events,
// read, validated and typed exactly as POST /v1/ingest reads them
// (event_batch.hpp), are written with the same dedup rules, each row
// carrying the backfill's id in _sluice_sync_id. A revert runs the other
// way, also in one transaction.
//
// The rules, each tested on every engine (tests/target/ingest_backfill_test):
// - an event outside the range, or of another customer, is refused with its
//   JSON path; so is any event the ingest path would reject;
// - an event whose id is stored outside what the backfill replaces (before
//   or after its range, another customer's, or posted while it ran) is
//   refused: storing it would break "an id is stored once", and skipping
//   it as a duplicate would silently drop a correction;
// - one refused event refuses the backfill whole: nothing changes;
// - a revert is refused while a newer backfill holds rows this one stored,
//   or when an id it would put back is stored again since.
//
// A session given here must be the backfill's own (not an IngestPool's):
// the write uses a writer of its own in a transaction of its own.
#pragma once

#include "host/ingest/event_batch.hpp"
#include "host/ingest/ingest_writer.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::host {

struct BackfillRequest {
  support::Timestamp from;              // inclusive
  support::Timestamp to;                // exclusive
  std::optional<std::string> customer;  // as its column holds it: text, or an integer's digits
  std::string events;                   // the "events" array as JSON text
};

// Reads the body {"from", "to", "customer"?, "events": [...]}. Returns
// every problem as "<path>: <message>" (empty: `out` holds the request).
std::vector<std::string> parse_backfill_request(const boost::json::object& body, const IngestStream& stream,
                                                BackfillRequest& out);

// A backfill (or revert) that must not happen as asked: nothing changed.
// 422 with each event's problems, or 409 with a reason.
class BackfillRefused : public std::runtime_error {
 public:
  BackfillRefused(int status, std::string code, const std::string& message, std::vector<EventProblem> problems = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), problems_(std::move(problems)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::vector<EventProblem>& problems() const { return problems_; }

 private:
  int status_;
  std::string code_;
  std::vector<EventProblem> problems_;
};

// The request's events as ingest reads them, with each event outside the
// range or of another customer rejected too; paths are rooted at the body
// ("$.events[3].occurred_at"). Throws BackfillRefused 422 listing every
// problem when any event is rejected (EventBodyError for a body ingest
// would refuse whole).
EventBatch read_backfill_events(const BackfillRequest& request, const IngestStream& stream, const IngestTable& table,
                                const std::string& backfill_id, support::Timestamp received_at, size_t max_events);

struct BackfillCounts {
  uint64_t replaced = 0;  // rows moved to the kept table
  uint64_t inserted = 0;  // rows stored
};

// Makes the kept table (outside a transaction), then applies the backfill in
// one transaction. Throws BackfillRefused (rolled back) or TargetError.
BackfillCounts apply_backfill(IngestSession& session, const IngestStream& stream, const IngestTable& table,
                              const BackfillRequest& request, EventBatch& batch, const std::string& backfill_id);

struct RevertCounts {
  uint64_t removed = 0;   // the backfill's rows deleted
  uint64_t restored = 0;  // kept rows put back
};

// Reverts backfill `backfill_id` in one transaction. Running it again
// changes nothing (the rows are gone and back already). Throws
// BackfillRefused 409 or TargetError.
RevertCounts revert_backfill(IngestSession& session, const IngestStream& stream, const IngestTable& table,
                             const std::string& backfill_id);

// The target lock every backfill and revert of `table` holds (one at a time
// per stream, across daemons).
std::string backfill_lock_key(Target& target, const IngestTable& table);

// What the target holds of backfill `backfill_id`: the rows it stored (live,
// or kept since by a newer backfill) and the rows it moved to the kept
// table. Its transaction committed exactly when either is nonzero, or it
// stored and replaced nothing (then nothing tells, and nothing differs).
// For a record a daemon left "applying"; read under backfill_lock_key.
struct BackfillTrace {
  uint64_t stored = 0;
  uint64_t kept = 0;
  bool committed() const { return stored + kept > 0; }
};
BackfillTrace backfill_trace(IngestSession& session, const IngestTable& table, const std::string& backfill_id);

}  // namespace sluice::host
