// One ingest request's events, from the body to typed rows: split (a JSON
// array, or NDJSON: one event per line), validated against the stream's
// JSON Schema, typed by the record mapper syncs use (sync/record_mapper:
// the same value model, so an event and a synced record of the same value
// land the same), and deduplicated within the request. What cannot be
// stored is rejected with the reason and its JSON path ("$[3].amount");
// nothing here touches a database (ingest_writer.hpp does).
#pragma once

#include "host/ingest/ingest_stream.hpp"
#include "host/target/row_batch.hpp"

#include <sluice/support/timestamp.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// The deepest nesting an event may have (the record mapper's parser's).
inline constexpr size_t kMaxEventDepth = 32;

enum class EventStatus { accepted, duplicate, rejected };
const char* to_string(EventStatus status);

struct EventProblem {
  std::string path;  // "$[3].amount"
  std::string message;
};

struct EventOutcome {
  EventStatus status = EventStatus::rejected;
  std::string id;                 // the id as its column holds it ("" when it had none)
  std::string first_received_at;  // duplicates: when the stored one arrived (RFC 3339, UTC, microseconds)
  bool late = false;              // accepted: older than the stream's horizon
  std::vector<EventProblem> problems;  // rejected
};

// A body that cannot be read as events at all: the request fails whole
// (400 invalid_json, 413 too_many_events).
class EventBodyError : public std::runtime_error {
 public:
  EventBodyError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

struct EventBatch {
  std::vector<EventOutcome> outcomes;  // one per event, in request order
  // The events to store, one row each, with the columns of IngestTable
  // (data, metadata, _sluice_late): rejected events and repeats of an id
  // earlier in the request are not among them.
  RowBatch rows;
  std::vector<size_t> row_event;    // the event (index into outcomes) of each row
  std::vector<std::string> row_key; // each row's id, as text
};

// Reads `body`: a JSON array if its first non-blank byte is '[', else NDJSON.
// `columns`: the table's columns (IngestTable::columns, with the types of an
// existing table where they differ). Each row's _sluice_sync_id is
// `request_id` and its _sluice_extracted_at `received_at`. Throws
// EventBodyError for a body that is not JSON, an empty one, or one of more
// than `max_events` events.
EventBatch read_event_batch(std::string_view body, const IngestStream& stream, const IngestTable& table,
                            const std::string& request_id, support::Timestamp received_at, size_t max_events);

}  // namespace sluice::host
