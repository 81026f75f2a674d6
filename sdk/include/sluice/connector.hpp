// sluice/connector.hpp -- the catalog a connector describes, the services
// the host offers it, and the class an author implements. Threads: plugin.h.
#ifndef SLUICE_CONNECTOR_HPP_
#define SLUICE_CONNECTOR_HPP_

#include <sluice/config.hpp>  // and error.hpp, plugin.h

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

enum class SyncMode { full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_dedup };
inline const char* to_string(SyncMode mode);         // "incremental_append", ...
inline std::vector<SyncMode> full_refresh_modes();  // both full refresh modes
inline std::vector<SyncMode> all_sync_modes();      // the four modes

// A path into a record: {"a","b"} is record["a"]["b"].
using FieldPath = std::vector<std::string>;

struct Stream {  // one stream of the catalog
  std::string name, ns;               // ns empty: the stream has no namespace
  boost::json::object json_schema;    // JSON Schema of one record ("type": "object")
  std::vector<SyncMode> sync_modes = full_refresh_modes();
  FieldPath default_cursor_field;     // empty: no cursor
  std::vector<FieldPath> primary_key; // empty: no key
  // The connector honours no other cursor / key: the host refuses overrides.
  bool source_defined_cursor = false;
  bool source_defined_primary_key = false;
  std::string description;
};

struct StreamRef {  // a stream named by the host ("" namespace: any)
  std::string ns, name;
};

// A stream to read, with its last committed checkpoint (null: from the start).
struct ConfiguredStream {
  std::string ns, name;
  SyncMode sync_mode = SyncMode::full_refresh_overwrite;
  FieldPath cursor_field;
  std::vector<FieldPath> primary_key;
  boost::json::value state;

  bool incremental() const {
    return sync_mode == SyncMode::incremental_append || sync_mode == SyncMode::incremental_append_dedup;
  }
};

// Logs and cancellation for the whole session, from any thread during a call.
// Never log secrets (the host masks the ones it knows).
class Logger {
 public:
  explicit Logger(const sluice_host_api* host) : host_(host) {}
  inline void log(int32_t level, std::string_view message) const;
  void warn(std::string_view m) const { log(SLUICE_LOG_WARN, m); }
  void info(std::string_view m) const { log(SLUICE_LOG_INFO, m); }
  void debug(std::string_view m) const { log(SLUICE_LOG_DEBUG, m); }
  // True once the host has cancelled the current call; loops should poll it.
  inline bool cancelled() const;

 protected:
  const sluice_host_api* host_;
};

// One stream's records (buffered, handed over in batches) and checkpoints, on
// read()'s thread only. Throws Cancelled or Error when the host says stop.
class ReadContext : public Logger {
 public:
  ReadContext(const sluice_host_api* host, const ConfiguredStream& stream) : Logger(host), stream_(stream) {}
  ReadContext(const ReadContext&) = delete;
  const ConfiguredStream& stream() const { return stream_; }
  void emit(const boost::json::object& record) { emit_serialized(boost::json::serialize(record)); }
  // One record as the text of one JSON object (no newline), borrowed for
  // the call: the fast path, no parse and no DOM.
  inline void emit_serialized(std::string_view record_json);
  // Flushes, then hands over `state`, which covers everything emitted so
  // far: the host commits both together.
  inline void checkpoint(const boost::json::value& state);
  inline void flush();  // hands the buffered records over now
  inline void progress(int64_t done, int64_t total = -1) const;  // total -1: unknown

  // Typed records (ABI 1.4), no JSON written or parsed: name the fields
  // (flushes if they change), then per record one cell per field, in order,
  // and end_record() (throws Error(internal) on a wrong count). The host
  // types a cell as the same JSON value; a pre-1.4 host gets that JSON.
  // Non-finite doubles become the strings "NaN", "Infinity", "-Infinity".
  inline void set_fields(std::vector<std::string> fields);
  inline void null_cell();
  inline void int_cell(int64_t value);
  inline void real_cell(double value);
  inline void bool_cell(bool value);
  inline void text_cell(std::string_view utf8);
  inline void timestamp_cell(int64_t micros);    // UTC, in years 0001-9999
  inline void json_cell(std::string_view json);  // one JSON value's text
  inline void end_record();

  static constexpr size_t kBatchRecords = 2000, kBatchBytes = 1 << 20;  // flush at either

 private:
  inline sluice_cell& next_cell(sluice_cell_kind kind);
  inline void flush_typed();

  const ConfiguredStream& stream_;
  std::string pending_, cell_text_;  // text records; typed cells' text
  size_t pending_records_ = 0, typed_records_ = 0, record_cells_ = 0;  // the last: of the record being built
  std::vector<std::string> fields_;  // typed records: fields, their views, cells
  std::vector<sluice_str> field_views_;
  std::vector<sluice_cell> cells_;
};

// Query in place (ABI 1.3, docs/query.md), optional: a Connector that also has
//   static constexpr const char* kQueryDialect = "postgresql";  // plugin.h lists them
//   void query(const QueryRequest& request, QueryContext& ctx);
// runs one read-only statement (the host has checked it) and streams its result.
struct QueryParameter {  // bound by the source, never pasted into the SQL
  std::string name, type;    // type: string, integer, number, boolean, date or timestamp
  boost::json::value value;  // int64_t, double, bool, or the text (date: YYYY-MM-DD, timestamp: RFC 3339)
};
struct QueryRequest {
  std::string sql;  // with the dialect's placeholders: $1 (postgresql), ? (mysql, snowflake), @name, :name
  std::vector<QueryParameter> parameters;  // bind order: per placeholder for ?, per $n, else by name
  int64_t timeout_seconds = 60;            // push it into the source
  std::optional<int64_t> max_bytes_billed; // empty: the connector's own default
};
struct QueryColumn {
  std::string name;
  boost::json::object schema;  // the JSON Schema discover would give this type
  std::string source_type;     // the source's own type name
};
// A result, on query()'s thread: columns once, then rows. Throws Cancelled when the host
// has what it wants: cancel the statement at the source, then let it propagate.
class QueryContext : public Logger {
 public:
  explicit QueryContext(const sluice_host_api* host) : Logger(host) {}
  QueryContext(const QueryContext&) = delete;
  inline void columns(const std::vector<QueryColumn>& columns);
  inline void row_serialized(std::string_view row_json);  // one JSON array, values in column order
  inline void flush();
  boost::json::object facts;  // shown by the host: {"statement_id": ..., "bytes_processed": ...}

 private:
  std::string pending_;
  size_t pending_rows_ = 0;
};

// What an author implements: one is built per session with (const Config&, const Logger&)
// (the Logger outlives it: keep a reference), then asked to check, discover and read, one call
// at a time; other sessions may run at once on other threads (no unguarded statics). Throw Error.
class Connector {
 public:
  virtual ~Connector() = default;
  virtual void check() = 0;  // reach the source with the config, or throw Error
  // The streams this config can read. `selected` (empty: all) names the ones
  // the host will read: describing only those is allowed.
  virtual std::vector<Stream> discover(const std::vector<StreamRef>& selected) = 0;
  // Reads one stream from stream.state on, emitting through ctx.
  virtual void read(const ConfiguredStream& stream, ReadContext& ctx) = 0;
};

}  // namespace sluice

#include <sluice/detail/connector_impl.hpp>

#endif  // SLUICE_CONNECTOR_HPP_
