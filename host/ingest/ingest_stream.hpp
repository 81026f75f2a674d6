// An ingest stream: where pushed events land and how they are checked
// (docs/ingest.md). A daemon stores its streams like its connections; the
// declaration on the wire and at rest:
//   {"name": "api_calls",                      // [A-Za-z0-9_.-], in the URL
//    "target": "postgresql://...",             // optional: the daemon's default
//    "schema": {"type": "object", "properties": {...}},  // JSON Schema of one event
//    "id_field": "event_id",                   // the idempotency key: string or integer
//    "time_field": "occurred_at",              // string, format date-time
//    "customer_field": "customer_id",          // optional: string or integer
//    "late_after_seconds": 86400}              // optional: older events are flagged late
// Each stream lands in one table of its target, named after the stream and
// typed like a synced stream's (column.hpp): the schema's properties in
// order, the metadata columns, then _sluice_late. The id field's column
// carries a unique index: the first event with an id is stored, every later
// one is a duplicate, on any host, however late.
#pragma once

#include "host/target/column.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::host {

// Events older than this, against the time their request arrived, are
// stored with _sluice_late = true. 0: none is late.
inline constexpr int64_t kDefaultLateAfterSeconds = 86400;
// The column after the metadata columns: an event older than the horizon.
inline constexpr const char* kLateColumn = "_sluice_late";  // boolean

struct IngestStream {
  std::string name;
  std::string target;  // "" = the daemon's default target
  boost::json::object schema;
  std::string id_field;
  std::string time_field;
  std::string customer_field;  // "" = none
  int64_t late_after_seconds = kDefaultLateAfterSeconds;
};

// Checks a declaration. Returns every problem as "<path>: <message>", paths
// rooted at the body ("schema.properties.amount.type: ...", "id_field:
// ..."); an empty list means `out` holds the stream.
std::vector<std::string> parse_ingest_stream(const boost::json::object& body, IngestStream& out);

// The declaration as stored and shown (target as given: callers mask it).
boost::json::object ingest_stream_json(const IngestStream& stream);

// The stream's table on an engine whose identifiers hold `max_identifier_bytes`:
// its name and columns (data, metadata_columns(), _sluice_late), and where
// the id, time and customer fields' columns are among them.
struct IngestTable {
  TableRef table;
  std::vector<ColumnDef> columns;
  size_t id_column = 0;
  size_t time_column = 0;
  size_t customer_column = static_cast<size_t>(-1);  // none
  size_t data_width = 0;  // the schema's own columns
};
IngestTable ingest_table(const IngestStream& stream, size_t max_identifier_bytes);

}  // namespace sluice::host
