// The C glue behind SLUICE_PLUGIN: every trampoline of plugin.h, turning
// JSON texts into the C++ types of connector.hpp and exceptions into ABI
// statuses. Authors never use it directly; it is header-only so a plugin
// carries its own copy and shares no C++ symbol with the host.
#pragma once

#include <sluice/connector.hpp>

#include <concepts>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

namespace sluice::detail {

namespace json = boost::json;

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

// Runs body, converting every exception into an ABI status: nothing may
// unwind into the host.
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

inline json::array field_path_to_json(const FieldPath& path) {
  json::array out;
  for (const auto& part : path) out.emplace_back(part);
  return out;
}

inline FieldPath field_path_from_json(const json::value& value) {
  FieldPath path;
  if (const auto* array = value.if_array()) {
    for (const auto& part : *array) {
      if (!part.is_string()) throw Error(ErrorKind::internal, "the host passed a field path part that is not a string");
      path.emplace_back(part.get_string());
    }
  }
  return path;
}

inline std::string optional_ns(const json::object& obj) {
  const auto* ns = obj.if_contains("namespace");
  return ns && ns->is_string() ? std::string(ns->get_string()) : std::string();
}

inline json::object stream_to_json(const Stream& stream) {
  json::array modes, key;
  for (SyncMode mode : stream.sync_modes) modes.emplace_back(to_string(mode));
  for (const auto& part : stream.primary_key) key.emplace_back(field_path_to_json(part));
  json::object out{{"name", stream.name},
                   {"namespace", stream.ns.empty() ? json::value(nullptr) : json::value(stream.ns)},
                   {"json_schema", stream.json_schema},
                   {"supported_sync_modes", std::move(modes)},
                   {"default_cursor_field", field_path_to_json(stream.default_cursor_field)},
                   {"primary_key", std::move(key)}};
  if (stream.source_defined_cursor) out["source_defined_cursor"] = true;
  if (stream.source_defined_primary_key) out["source_defined_primary_key"] = true;
  if (!stream.description.empty()) out["description"] = stream.description;
  return out;
}

inline std::string catalog_json(const std::vector<Stream>& streams) {
  json::array list;
  for (const Stream& stream : streams) list.emplace_back(stream_to_json(stream));
  return json::serialize(json::object{{"streams", std::move(list)}});
}

inline std::vector<StreamRef> parse_selection(sluice_str text) {
  std::vector<StreamRef> refs;
  if (text.size == 0) return refs;
  const json::object selection = parse_object(text, "a stream selection");
  if (const auto* list = selection.if_contains("streams"); list && list->is_array()) {
    for (const auto& entry : list->get_array()) {
      const auto& obj = entry.as_object();
      refs.push_back({optional_ns(obj), std::string(obj.at("name").as_string())});
    }
  }
  return refs;
}

inline std::vector<ConfiguredStream> parse_configured_catalog(sluice_str catalog_text, sluice_str state_text) {
  const json::object catalog = parse_object(catalog_text, "a configured catalog");
  const json::object state = parse_object(state_text, "a state");
  std::map<std::pair<std::string, std::string>, json::value> states;
  if (const auto* list = state.if_contains("streams"); list && list->is_array()) {
    for (const auto& entry : list->get_array()) {
      const auto& obj = entry.as_object();
      states[{optional_ns(obj), std::string(obj.at("name").as_string())}] =
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
    stream.ns = optional_ns(obj);
    auto mode = parse_sync_mode(std::string(obj.at("sync_mode").as_string()));
    if (!mode) throw Error(ErrorKind::internal, "unknown sync_mode in configured catalog");
    stream.sync_mode = *mode;
    if (const auto* cursor = obj.if_contains("cursor_field")) stream.cursor_field = field_path_from_json(*cursor);
    if (const auto* key = obj.if_contains("primary_key"); key && key->is_array()) {
      for (const auto& part : key->get_array()) stream.primary_key.push_back(field_path_from_json(part));
    }
    if (auto found = states.find({stream.ns, stream.name}); found != states.end()) stream.state = found->second;
    streams.push_back(std::move(stream));
  }
  return streams;
}

// A connector that opted in to query in place (connector.hpp).
template <typename C>
concept Queryable = requires(C& connector, const QueryRequest& request, QueryContext& ctx) {
  { C::kQueryDialect } -> std::convertible_to<const char*>;
  connector.query(request, ctx);
};

inline QueryRequest parse_query_request(sluice_str text) {
  const json::object request = parse_object(text, "a query request");
  QueryRequest out;
  out.sql = std::string(request.at("sql").as_string());
  if (const auto* list = request.if_contains("parameters"); list && list->is_array()) {
    for (const auto& entry : list->get_array()) {
      const auto& obj = entry.as_object();
      out.parameters.push_back({std::string(obj.at("name").as_string()), std::string(obj.at("type").as_string()),
                                obj.contains("value") ? obj.at("value") : json::value(nullptr)});
    }
  }
  if (const auto* timeout = request.if_contains("timeout_seconds"); timeout && timeout->is_int64()) {
    out.timeout_seconds = timeout->as_int64();
  }
  if (const auto* cap = request.if_contains("max_bytes_billed"); cap && cap->is_int64()) {
    out.max_bytes_billed = cap->as_int64();
  }
  return out;
}

// One open session: the Logger first, so the connector may keep a reference
// to it for its whole life.
template <typename ConnectorType>
struct Session {
  Session(const sluice_host_api* host, sluice_str config_json)
      : host_api(host), log(host), connector(Config(parse_object(config_json, "a config")), log) {}

  void read(sluice_str catalog_json, sluice_str state_json) {
    for (const ConfiguredStream& stream : parse_configured_catalog(catalog_json, state_json)) {
      ReadContext ctx(host_api, stream);
      connector.read(stream, ctx);
      ctx.flush();  // records after the last checkpoint still reach the host
    }
  }

  const sluice_host_api* host_api;
  Logger log;
  ConnectorType connector;
};

template <typename ConnectorType>
struct Trampolines {
  using S = Session<ConnectorType>;
  static S& self(sluice_session* session) { return *reinterpret_cast<S*>(session); }

  // ABI 1.0: a session lives for one call.
  static sluice_status check(sluice_str config, const sluice_host_api* host, sluice_error* err) noexcept {
    return guarded(err, [&] { S(host, config).connector.check(); });
  }
  static sluice_status discover(sluice_str config, const sluice_host_api* host, sluice_buffer* out,
                                sluice_error* err) noexcept {
    return guarded(err, [&] { fill_buffer(out, catalog_json(S(host, config).connector.discover({}))); });
  }
  static sluice_status read(sluice_str config, sluice_str catalog, sluice_str state, const sluice_host_api* host,
                            sluice_error* err) noexcept {
    return guarded(err, [&] { S(host, config).read(catalog, state); });
  }

  // ABI 1.1 sessions.
  static sluice_status open(sluice_str config, const sluice_host_api* host, sluice_session** out,
                            sluice_error* err) noexcept {
    return guarded(err, [&] {
      auto session = std::make_unique<S>(host, config);
      *out = reinterpret_cast<sluice_session*>(session.release());
    });
  }
  static void close(sluice_session* session) noexcept {
    try {
      delete &self(session);
    } catch (...) {
      // A destructor that throws must not unwind into the host.
    }
  }
  static sluice_status session_check(sluice_session* session, sluice_error* err) noexcept {
    return guarded(err, [&] { self(session).connector.check(); });
  }
  static sluice_status session_discover(sluice_session* session, sluice_str selection, sluice_buffer* out,
                                        sluice_error* err) noexcept {
    return guarded(err, [&] {
      fill_buffer(out, catalog_json(self(session).connector.discover(parse_selection(selection))));
    });
  }
  static sluice_status session_read(sluice_session* session, sluice_str catalog, sluice_str state,
                                    sluice_error* err) noexcept {
    return guarded(err, [&] { self(session).read(catalog, state); });
  }

  // ABI 1.3 query in place: in the table only for a Queryable connector.
  static constexpr const char* query_dialect() {
    if constexpr (Queryable<ConnectorType>) return ConnectorType::kQueryDialect;
    return nullptr;
  }
  static sluice_status session_query(sluice_session* session, sluice_str request, sluice_buffer* out,
                                     sluice_error* err) noexcept {
    return guarded(err, [&] {
      if constexpr (Queryable<ConnectorType>) {
        S& s = self(session);
        QueryContext ctx(s.host_api);
        s.connector.query(parse_query_request(request), ctx);
        ctx.flush();
        fill_buffer(out, json::serialize(ctx.facts));
      } else {
        throw Error(ErrorKind::internal, "this connector cannot run queries");
      }
    });
  }
  static constexpr auto session_query_entry() {
    return Queryable<ConnectorType> ? &session_query : nullptr;
  }
};

}  // namespace sluice::detail

// The body of SLUICE_PLUGIN (sdk.hpp documents the arguments).
#define SLUICE_DETAIL_PLUGIN(CLASS, NAME, VERSION, DOCS_URL, NS, MODES, SPEC_JSON)                        \
  namespace {                                                                                             \
  using SluiceGlue = ::sluice::detail::Trampolines<CLASS>;                                                \
  sluice_status sluice_spec(sluice_buffer* out, sluice_error* err) noexcept {                             \
    return ::sluice::detail::guarded(err, [&] { ::sluice::detail::fill_buffer(out, std::string(SPEC_JSON)); }); \
  }                                                                                                       \
  const sluice_plugin_info kSluicePluginInfo = {                                                          \
      sizeof(sluice_plugin_info), SLUICE_PLUGIN_MAGIC, SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, 0,              \
      static_cast<uint16_t>(sizeof(void*)), NAME, VERSION, DOCS_URL, MODES, NS, "g++ " __VERSION__};      \
  const sluice_plugin_api kSluicePluginApi = {                                                            \
      sizeof(sluice_plugin_api), SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &kSluicePluginInfo, &sluice_spec,     \
      &SluiceGlue::check, &SluiceGlue::discover, &SluiceGlue::read, &SluiceGlue::open, &SluiceGlue::close, \
      &SluiceGlue::session_check, &SluiceGlue::session_discover, &SluiceGlue::session_read,                \
      /* concurrent_sessions: one Connector per session (connector.hpp) */ 1,                             \
      SluiceGlue::query_dialect(), SluiceGlue::session_query_entry()};                                    \
  }                                                                                                       \
  extern "C" SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(                                          \
      uint16_t host_abi_major, uint16_t host_abi_minor, const sluice_plugin_api** out, sluice_error* err) { \
    (void)host_abi_minor;                                                                                 \
    if (host_abi_major != SLUICE_ABI_MAJOR) {                                                             \
      ::sluice::detail::fill_error(err, ::sluice::ErrorKind::config, "plugin " NAME " needs ABI major 1");  \
      return SLUICE_INCOMPATIBLE;                                                                         \
    }                                                                                                     \
    *out = &kSluicePluginApi;                                                                             \
    return SLUICE_OK;                                                                                     \
  }
