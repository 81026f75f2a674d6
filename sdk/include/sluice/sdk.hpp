// sluice/sdk.hpp -- the C++ layer connector authors write against.
//
// Write a class deriving from sluice::Connector, describe its configuration
// schema as JSON, and export it with SLUICE_PLUGIN(...). This header provides
// every C trampoline, turns exceptions into ABI errors and batches records, so
// an author never touches the structs of plugin.h.
//
//   class MyConnector : public sluice::Connector {
//     void check(const sluice::Config& cfg, sluice::Logger& log) override;
//     std::vector<sluice::Stream> discover(const sluice::Config& cfg,
//                                          sluice::Logger& log) override;
//     void read(const sluice::Config& cfg,
//               const std::vector<sluice::ConfiguredStream>& streams,
//               sluice::ReadContext& ctx) override;
//   };
//   SLUICE_PLUGIN(MyConnector, "my_source", "1.0.0", "https://docs/...",
//                 SLUICE_NAMESPACE_NONE, kMySpecJson)
//
// Errors: throw sluice::Error(ErrorKind::..., "what and where") from any
// method; any other exception becomes an INTERNAL error with its what().
// Threading: see plugin.h. One Connector instance is created per ABI call.
//
// Header-only; needs Boost.JSON (link Boost::json) and C++20.
#ifndef SLUICE_SDK_HPP_
#define SLUICE_SDK_HPP_

#include <sluice/plugin.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

namespace json = boost::json;

// ---- Errors -----------------------------------------------------------------

enum class ErrorKind {
  unknown = SLUICE_ERROR_KIND_UNKNOWN,
  config = SLUICE_ERROR_KIND_CONFIG,
  auth = SLUICE_ERROR_KIND_AUTH,
  transient = SLUICE_ERROR_KIND_TRANSIENT,
  rate_limited = SLUICE_ERROR_KIND_RATE_LIMITED,
  source = SLUICE_ERROR_KIND_SOURCE,
  internal = SLUICE_ERROR_KIND_INTERNAL,
};

inline const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::config: return "config";
    case ErrorKind::auth: return "auth";
    case ErrorKind::transient: return "transient";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::source: return "source";
    case ErrorKind::internal: return "internal";
    case ErrorKind::unknown: break;
  }
  return "unknown";
}

// The one exception type a connector throws on purpose. Its message must say
// what failed and where, on one line, and never contain a secret.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Thrown by ReadContext when the host reports the run cancelled; the
// trampoline turns it into SLUICE_CANCELLED. Do not catch it in connectors
// (or rethrow it).
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

// ---- Sync modes and catalog -------------------------------------------------

enum class SyncMode {
  full_refresh_overwrite,
  full_refresh_append,
  incremental_append,
  incremental_append_dedup,
};

inline const char* to_string(SyncMode mode) {
  switch (mode) {
    case SyncMode::full_refresh_overwrite: return "full_refresh_overwrite";
    case SyncMode::full_refresh_append: return "full_refresh_append";
    case SyncMode::incremental_append: return "incremental_append";
    case SyncMode::incremental_append_dedup: return "incremental_append_dedup";
  }
  return "full_refresh_overwrite";
}

inline std::optional<SyncMode> parse_sync_mode(std::string_view text) {
  for (SyncMode mode : {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append,
                        SyncMode::incremental_append, SyncMode::incremental_append_dedup}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

inline bool is_incremental(SyncMode mode) {
  return mode == SyncMode::incremental_append || mode == SyncMode::incremental_append_dedup;
}

// The modes a stream can serve: full refresh always, incremental when the
// stream has a cursor, dedup when it also has a primary key.
inline std::vector<SyncMode> full_refresh_modes() {
  return {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append};
}
inline std::vector<SyncMode> all_sync_modes() {
  return {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append,
          SyncMode::incremental_append, SyncMode::incremental_append_dedup};
}

// A path into a record: {"a","b"} is record["a"]["b"].
using FieldPath = std::vector<std::string>;

inline json::array field_path_to_json(const FieldPath& path) {
  json::array out;
  for (const auto& part : path) out.emplace_back(part);
  return out;
}

inline FieldPath field_path_from_json(const json::value& value) {
  FieldPath path;
  if (const auto* array = value.if_array()) {
    for (const auto& part : *array) {
      if (!part.is_string()) throw Error(ErrorKind::config, "field path parts must be strings");
      path.emplace_back(part.get_string());
    }
  }
  return path;
}

// One stream of the catalog a connector discovers.
struct Stream {
  std::string name;
  std::string ns;  // empty: the stream has no namespace of its own
  json::object json_schema;  // JSON Schema of one record ("type":"object")
  std::vector<SyncMode> sync_modes = full_refresh_modes();
  FieldPath default_cursor_field;          // empty: no cursor
  std::vector<FieldPath> primary_key;      // empty: no key
  std::string description;

  json::object to_json() const {
    json::object out;
    out["name"] = name;
    out["namespace"] = ns.empty() ? json::value(nullptr) : json::value(ns);
    out["json_schema"] = json_schema;
    json::array modes;
    for (SyncMode mode : sync_modes) modes.emplace_back(to_string(mode));
    out["supported_sync_modes"] = std::move(modes);
    out["default_cursor_field"] = field_path_to_json(default_cursor_field);
    json::array key;
    for (const auto& part : primary_key) key.emplace_back(field_path_to_json(part));
    out["primary_key"] = std::move(key);
    if (!description.empty()) out["description"] = description;
    return out;
  }
};

// One stream the host asks a connector to read, with its committed state
// (null on a first run or for full refresh).
struct ConfiguredStream {
  std::string ns;
  std::string name;
  SyncMode sync_mode = SyncMode::full_refresh_overwrite;
  FieldPath cursor_field;
  std::vector<FieldPath> primary_key;
  json::value state;  // null: start from the beginning

  bool incremental() const { return is_incremental(sync_mode); }
};

using Config = json::object;

// ---- Host services ------------------------------------------------------------

// Log lines to the host. Never log secrets (the host masks the ones it knows).
class Logger {
 public:
  explicit Logger(const sluice_host_api* host) : host_(host) {}

  void log(int32_t level, std::string_view message) const {
    if (host_ && host_->log) host_->log(host_->ctx, level, {message.data(), message.size()});
  }
  void error(std::string_view m) const { log(SLUICE_LOG_ERROR, m); }
  void warn(std::string_view m) const { log(SLUICE_LOG_WARN, m); }
  void info(std::string_view m) const { log(SLUICE_LOG_INFO, m); }
  void debug(std::string_view m) const { log(SLUICE_LOG_DEBUG, m); }

  bool cancelled() const {
    return host_ && host_->is_cancelled && host_->is_cancelled(host_->ctx) != 0;
  }

 protected:
  const sluice_host_api* host_;
};

namespace detail {
// Turns a host emit status into the matching exception, so a connector's read
// loop unwinds as soon as the host says stop.
inline void raise_for_host_status(sluice_status status, sluice_error& err) {
  if (status == SLUICE_OK) return;
  std::string message = err.message ? err.message : "the host refused the call";
  auto kind = static_cast<ErrorKind>(err.kind);
  if (err.release) err.release(&err);
  if (status == SLUICE_CANCELLED) throw Cancelled();
  throw Error(kind, message);
}
}  // namespace detail

// What read() uses to hand records and checkpoints to the host. Records are
// buffered per stream and cross the boundary in batches; a checkpoint first
// flushes that stream's buffered records, so it covers all of them.
class ReadContext : public Logger {
 public:
  // Flush a stream's buffer once it holds this many records or bytes.
  static constexpr size_t kBatchRecords = 2000;
  static constexpr size_t kBatchBytes = 1 << 20;

  explicit ReadContext(const sluice_host_api* host) : Logger(host) {}
  ReadContext(const ReadContext&) = delete;
  ReadContext& operator=(const ReadContext&) = delete;

  // Queue one record (a JSON object) for a stream.
  void emit(const ConfiguredStream& stream, const json::object& record) {
    emit_serialized(stream, json::serialize(record));
  }
  // Queue one record already serialised as a JSON object (no newline inside).
  void emit_serialized(const ConfiguredStream& stream, std::string_view record_json) {
    Pending& pending = pending_for(stream);
    pending.ndjson.append(record_json);
    pending.ndjson.push_back('\n');
    ++pending.records;
    if (pending.records >= kBatchRecords || pending.ndjson.size() >= kBatchBytes) {
      flush(stream);
    }
  }

  // Everything emitted for `stream` so far is covered by `state`.
  void checkpoint(const ConfiguredStream& stream, const json::value& state) {
    flush(stream);
    std::string text = json::serialize(state);
    sluice_error err{};
    err.struct_size = sizeof(err);
    sluice_status status = host_->emit_state(host_->ctx, {stream.ns.data(), stream.ns.size()},
                                             {stream.name.data(), stream.name.size()},
                                             {text.data(), text.size()}, &err);
    detail::raise_for_host_status(status, err);
  }

  void progress(const ConfiguredStream& stream, int64_t done, int64_t total = -1) const {
    if (host_->progress) {
      host_->progress(host_->ctx, {stream.ns.data(), stream.ns.size()},
                      {stream.name.data(), stream.name.size()}, done, total);
    }
  }

  // Hand a stream's buffered records to the host now.
  void flush(const ConfiguredStream& stream) {
    Pending& pending = pending_for(stream);
    if (pending.records == 0) return;
    sluice_error err{};
    err.struct_size = sizeof(err);
    sluice_status status = host_->emit_records(
        host_->ctx, {stream.ns.data(), stream.ns.size()}, {stream.name.data(), stream.name.size()},
        {pending.ndjson.data(), pending.ndjson.size()}, &err);
    pending.ndjson.clear();
    pending.records = 0;
    detail::raise_for_host_status(status, err);
  }

  // Called by the trampoline when read() returns normally: records emitted
  // after a stream's last checkpoint still reach the host.
  void flush_all() {
    for (auto& [key, pending] : pending_) {
      if (pending.records == 0) continue;
      ConfiguredStream stream;
      stream.ns = key.first;
      stream.name = key.second;
      flush(stream);
    }
  }

 private:
  struct Pending {
    std::string ndjson;
    size_t records = 0;
  };
  // Called per record: the common case (same stream as last time) is two
  // string compares, no allocation.
  Pending& pending_for(const ConfiguredStream& stream) {
    if (last_ && last_->first.first == stream.ns && last_->first.second == stream.name) {
      return last_->second;
    }
    auto [it, inserted] = pending_.try_emplace({stream.ns, stream.name});
    (void)inserted;
    last_ = &*it;
    return it->second;
  }
  using PendingMap = std::map<std::pair<std::string, std::string>, Pending>;
  PendingMap pending_;
  PendingMap::value_type* last_ = nullptr;  // map nodes are stable
};

// ---- The connector interface --------------------------------------------------

class Connector {
 public:
  virtual ~Connector() = default;
  // Live validation: reach the source with this config or throw Error.
  virtual void check(const Config& config, Logger& log) = 0;
  // The streams this config can read.
  virtual std::vector<Stream> discover(const Config& config, Logger& log) = 0;
  // Read each configured stream, emitting records and checkpoints.
  virtual void read(const Config& config, const std::vector<ConfiguredStream>& streams,
                    ReadContext& ctx) = 0;
};

// ---- ABI glue (what SLUICE_PLUGIN expands to) ---------------------------------

namespace detail {

inline void fill_error(sluice_error* err, ErrorKind kind, const std::string& message) {
  if (!err) return;
  char* copy = static_cast<char*>(std::malloc(message.size() + 1));
  if (copy) std::memcpy(copy, message.c_str(), message.size() + 1);
  err->kind = static_cast<sluice_error_kind>(kind);
  err->message = copy;
  err->private_data = nullptr;
  err->release = [](sluice_error* self) {
    std::free(self->message);
    self->message = nullptr;
    self->release = nullptr;
  };
}

inline void fill_buffer(sluice_buffer* out, std::string text) {
  auto* owned = new std::string(std::move(text));
  out->data = owned->data();
  out->size = owned->size();
  out->private_data = owned;
  out->release = [](sluice_buffer* self) {
    delete static_cast<std::string*>(self->private_data);
    self->data = nullptr;
    self->size = 0;
    self->private_data = nullptr;
    self->release = nullptr;
  };
}

// Runs body, converting every exception into an ABI status. noexcept: nothing
// may unwind into the host.
template <typename Body>
sluice_status guarded(sluice_error* err, Body&& body) noexcept {
  try {
    body();
    return SLUICE_OK;
  } catch (const Cancelled&) {
    fill_error(err, ErrorKind::unknown, "cancelled");
    return SLUICE_CANCELLED;
  } catch (const Error& e) {
    fill_error(err, e.kind(), e.what());
  } catch (const std::exception& e) {
    fill_error(err, ErrorKind::internal, std::string("unexpected exception: ") + e.what());
  } catch (...) {
    fill_error(err, ErrorKind::internal, "unexpected non-standard exception");
  }
  return SLUICE_ERROR;
}

inline json::object parse_object(sluice_str text, const char* what) {
  json::error_code ec;
  json::value value = json::parse(std::string_view(text.data, text.size), ec);
  if (ec || !value.is_object()) {
    throw Error(ErrorKind::internal, std::string("the host passed ") + what + " that is not a JSON object");
  }
  return std::move(value.as_object());
}

inline std::vector<ConfiguredStream> parse_configured_catalog(const json::object& catalog,
                                                              const json::object& state) {
  std::map<std::pair<std::string, std::string>, json::value> states;
  if (const auto* list = state.if_contains("streams"); list && list->is_array()) {
    for (const auto& entry : list->get_array()) {
      const auto& obj = entry.as_object();
      std::string ns = obj.contains("namespace") && obj.at("namespace").is_string()
                           ? std::string(obj.at("namespace").get_string()) : std::string();
      states[{ns, std::string(obj.at("name").as_string())}] =
          obj.contains("state") ? obj.at("state") : json::value(nullptr);
    }
  }
  std::vector<ConfiguredStream> streams;
  const auto* list = catalog.if_contains("streams");
  if (!list || !list->is_array()) return streams;
  for (const auto& entry : list->get_array()) {
    const auto& obj = entry.as_object();
    ConfiguredStream stream;
    stream.name = std::string(obj.at("name").as_string());
    if (const auto* ns = obj.if_contains("namespace"); ns && ns->is_string()) {
      stream.ns = std::string(ns->get_string());
    }
    auto mode = parse_sync_mode(std::string(obj.at("sync_mode").as_string()));
    if (!mode) throw Error(ErrorKind::internal, "unknown sync_mode in configured catalog");
    stream.sync_mode = *mode;
    if (const auto* cursor = obj.if_contains("cursor_field")) {
      stream.cursor_field = field_path_from_json(*cursor);
    }
    if (const auto* key = obj.if_contains("primary_key"); key && key->is_array()) {
      for (const auto& part : key->get_array()) stream.primary_key.push_back(field_path_from_json(part));
    }
    if (auto found = states.find({stream.ns, stream.name}); found != states.end()) {
      stream.state = found->second;
    }
    streams.push_back(std::move(stream));
  }
  return streams;
}

template <typename Traits>
struct Trampolines {
  using ConnectorType = typename Traits::ConnectorType;

  static sluice_status spec(sluice_buffer* out, sluice_error* err) noexcept {
    return guarded(err, [&] { fill_buffer(out, Traits::spec_json()); });
  }

  static sluice_status check(sluice_str config_json, const sluice_host_api* host,
                             sluice_error* err) noexcept {
    return guarded(err, [&] {
      ConnectorType connector;
      Logger log(host);
      connector.check(parse_object(config_json, "a config"), log);
    });
  }

  static sluice_status discover(sluice_str config_json, const sluice_host_api* host,
                                sluice_buffer* out, sluice_error* err) noexcept {
    return guarded(err, [&] {
      ConnectorType connector;
      Logger log(host);
      json::array streams;
      for (const Stream& stream : connector.discover(parse_object(config_json, "a config"), log)) {
        streams.emplace_back(stream.to_json());
      }
      json::object catalog;
      catalog["streams"] = std::move(streams);
      fill_buffer(out, json::serialize(catalog));
    });
  }

  static sluice_status read(sluice_str config_json, sluice_str catalog_json, sluice_str state_json,
                            const sluice_host_api* host, sluice_error* err) noexcept {
    return guarded(err, [&] {
      ConnectorType connector;
      ReadContext ctx(host);
      auto streams = parse_configured_catalog(parse_object(catalog_json, "a configured catalog"),
                                              parse_object(state_json, "a state"));
      connector.read(parse_object(config_json, "a config"), streams, ctx);
      ctx.flush_all();
    });
  }
};

}  // namespace detail
}  // namespace sluice

// Exports a connector class as a Sluice plugin. Use once, in one .cpp file.
//   CLASS      a default-constructible sluice::Connector subclass
//   NAME       plugin name literal, [a-z0-9_]+ ("auth0")
//   VERSION    plugin version literal ("1.0.0")
//   DOCS_URL   documentation URL literal
//   NS         SLUICE_NAMESPACE_NONE or SLUICE_NAMESPACE_SOURCE_DEFINED
//   MODES      bitwise OR of SLUICE_MODE_* its streams can serve
//   SPEC_JSON  const char* expression: {"config_schema": {...}} as JSON text
#define SLUICE_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON)                     \
  namespace {                                                                                  \
  struct SluicePluginTraits {                                                                  \
    using ConnectorType = CLASS;                                                               \
    static std::string spec_json() { return std::string(SPEC_JSON); }                          \
  };                                                                                           \
  using SluiceGlue = ::sluice::detail::Trampolines<SluicePluginTraits>;                        \
  const sluice_plugin_info kSluicePluginInfo = {                                               \
      sizeof(sluice_plugin_info), SLUICE_PLUGIN_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR,     \
      0, static_cast<uint16_t>(sizeof(void*)), NAME, VERSION, DOCS_URL, MODES, NS,             \
      "g++ " __VERSION__};                                                                     \
  const sluice_plugin_api kSluicePluginApi = {                                                 \
      sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kSluicePluginInfo,       \
      &SluiceGlue::spec, &SluiceGlue::check, &SluiceGlue::discover, &SluiceGlue::read};        \
  }                                                                                            \
  extern "C" SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(                               \
      uint16_t host_abi_major, uint16_t host_abi_minor, const sluice_plugin_api** out,         \
      sluice_error* err) {                                                                     \
    (void)host_abi_minor;                                                                      \
    if (host_abi_major != SLUICE_ABI_MAJOR) {                                                  \
      ::sluice::detail::fill_error(err, ::sluice::ErrorKind::config,                           \
                                   "plugin " NAME " needs ABI major 1");                       \
      return SLUICE_INCOMPATIBLE;                                                              \
    }                                                                                          \
    *out = &kSluicePluginApi;                                                                  \
    return SLUICE_OK;                                                                          \
  }

#endif  // SLUICE_SDK_HPP_
