// sluice/connector.hpp -- the catalog a connector describes, the services
// the host offers it, and the class an author implements. Threads: plugin.h.
#ifndef SLUICE_CONNECTOR_HPP_
#define SLUICE_CONNECTOR_HPP_

#include <sluice/config.hpp>
#include <sluice/error.hpp>
#include <sluice/plugin.h>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class SyncMode { full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_dedup };
inline const char* to_string(SyncMode mode);         // "incremental_append", ...
inline std::vector<SyncMode> full_refresh_modes();  // both full refresh modes
inline std::vector<SyncMode> all_sync_modes();      // the four modes

// A path into a record: {"a","b"} is record["a"]["b"].
using FieldPath = std::vector<std::string>;

// One stream of the catalog a connector discovers.
struct Stream {
  std::string name;
  std::string ns;                     // empty: the stream has no namespace
  boost::json::object json_schema;    // JSON Schema of one record ("type": "object")
  std::vector<SyncMode> sync_modes = full_refresh_modes();
  FieldPath default_cursor_field;     // empty: no cursor
  std::vector<FieldPath> primary_key; // empty: no key
  // True when the connector reads by this cursor / dedups by this key and
  // cannot honour another: the host then refuses an operator's override.
  bool source_defined_cursor = false;
  bool source_defined_primary_key = false;
  std::string description;
};

struct StreamRef {  // a stream named by the host ("" namespace: any)
  std::string ns, name;
};

// One stream the host asks a connector to read, with its last committed
// checkpoint (null on a first run and for full refresh).
struct ConfiguredStream {
  std::string ns;
  std::string name;
  SyncMode sync_mode = SyncMode::full_refresh_overwrite;
  FieldPath cursor_field;
  std::vector<FieldPath> primary_key;
  boost::json::value state;

  bool incremental() const {
    return sync_mode == SyncMode::incremental_append || sync_mode == SyncMode::incremental_append_dedup;
  }
};

// Log lines and cancellation, valid for the whole session. Copyable; any
// thread may use it while a call of the session runs. Never log secrets
// (the host masks the ones it knows).
class Logger {
 public:
  explicit Logger(const sluice_host_api* host) : host_(host) {}
  inline void log(int32_t level, std::string_view message) const;
  void error(std::string_view m) const { log(SLUICE_LOG_ERROR, m); }
  void warn(std::string_view m) const { log(SLUICE_LOG_WARN, m); }
  void info(std::string_view m) const { log(SLUICE_LOG_INFO, m); }
  void debug(std::string_view m) const { log(SLUICE_LOG_DEBUG, m); }
  // True once the host has cancelled the current call; loops should poll it.
  inline bool cancelled() const;

 protected:
  const sluice_host_api* host_;
};

// Hands one stream's records and checkpoints to the host, from the thread
// that entered read() only. Records are buffered and cross the boundary in
// batches. Each emit and checkpoint throws Cancelled or Error when the host
// says stop; let those propagate.
class ReadContext : public Logger {
 public:
  ReadContext(const sluice_host_api* host, const ConfiguredStream& stream) : Logger(host), stream_(stream) {}
  ReadContext(const ReadContext&) = delete;
  const ConfiguredStream& stream() const { return stream_; }
  // Queues one record (a JSON object).
  void emit(const boost::json::object& record) { emit_serialized(boost::json::serialize(record)); }
  // Queues one record already serialised as one JSON object (no newline);
  // borrowed for the call. The fast path: no parse, no copy of a DOM.
  inline void emit_serialized(std::string_view record_json);
  // Everything emitted so far is covered by `state`: flushes, then hands the
  // checkpoint over. The host commits both together.
  inline void checkpoint(const boost::json::value& state);
  // Hands the buffered records over now.
  inline void flush();
  // Records done so far and the expected total (-1: unknown).
  inline void progress(int64_t done, int64_t total = -1) const;

  static constexpr size_t kBatchRecords = 2000, kBatchBytes = 1 << 20;  // flush at either

 private:
  const ConfiguredStream& stream_;
  std::string pending_;
  size_t pending_records_ = 0;
};

// The class an author implements. The glue builds one per session with
//   CLASS(const sluice::Config& config, const sluice::Logger& log)
// (the Logger outlives the connector: keep a reference) and then calls
// check, discover and read on it, one call at a time. Throw Error.
class Connector {
 public:
  virtual ~Connector() = default;
  // Reaches the source with the config, or throws Error (auth, config...).
  virtual void check() = 0;
  // The streams this config can read. `selected` (may be empty: all) names
  // the streams the host will read: describing only those is allowed.
  virtual std::vector<Stream> discover(const std::vector<StreamRef>& selected) = 0;
  // Reads one stream from stream.state on, emitting through ctx.
  virtual void read(const ConfiguredStream& stream, ReadContext& ctx) = 0;
};

}  // namespace sluice

#include <sluice/detail/connector_impl.hpp>

#endif  // SLUICE_CONNECTOR_HPP_
