// A test plugin whose whole behaviour comes from its config, so sync tests
// can script any catalog (hostile names, drifting schemas, namespaces) and
// any sequence of records, checkpoints and failures.
//
// config: {"streams": [{
//   "name": "s", "namespace": "ns",            // namespace optional
//   "json_schema": {...},                      // the stream's schema
//   "sync_modes": ["full_refresh_overwrite", ...],
//   "cursor": ["ts"], "primary_key": [["id"]],
//   "records": [{...}, ...],                   // emitted in order
//   "batch_size": 2,                           // records per batch; a checkpoint
//                                              // {"offset": N} follows each batch
//   "fail_after_batches": 0,                   // throw a source error after N batches
//   "fail_kind": "source",                     // ...of this ErrorKind (transient, config, ...)
//   "abort_after_batches": 0,                  // std::abort() after N batches
//   "segfault_after_batches": 0,               // write through a null pointer after N batches
//   "allocate_mb_after_batches": 0,            // after N batches allocate and touch
//   "allocate_mb": 0,                          // this many MiB, 1 MiB at a time, kept
//   "sigint_after_batches": 0,                 // raise(SIGINT) in the host process after
//                                              // N batches, as a Ctrl-C would
//   "delay_ms": 0,                             // sleep after each batch
//   "pause_after_batches": 0,                  // after N batches (and their checkpoint) wait
//   "resume_file": "",                         // until this file exists (or a cancel), so
//                                              // tests hold a sync open at a known point
//   "pause_ignores_cancel": false,             // ...and a cancel does not end the wait (a
//                                              // hung plugin; gives up after 30 s)
//   "bad_line_after_batches": 0,               // emit a non-JSON record after N batches
//   "state_padding": 0,                        // add a "pad" of N bytes to each checkpoint
//   "resumable_full_refresh": false,           // full refresh checkpoints are resume points
//                                              // ({"offset": N, "resumable": true}) and a
//                                              // full refresh resumes at the one it is given
//   "raw_records": false,                      // records are {"raw": "<JSON text>"}, emitted
//                                              // verbatim (numbers no parser has touched)
//   "typed_records": false,                    // records go as typed cells (ABI 1.4), one
//                                              // per member: strings in RFC 3339's canonical
//                                              // UTC form as TIMESTAMP cells, objects,
//                                              // arrays and integers past int64 as JSON
//   "bad_utf8_cell_after_batches": 0,          // emit a typed record whose STRING cell is
//                                              // not UTF-8 after N batches
//   "no_checkpoints": false,                   // never checkpoint (an incremental read that
//                                              // cannot resume)
//   "ignore_cancel": false,                    // when an emit says the run is cancelled, keep
//                                              // reading (a plugin deaf to cancels; gives up
//                                              // after 30 s)
//   "source_defined_cursor": false,            // catalog flags, passed through
//   "source_defined_primary_key": false
// }],
// "check_fails": false,                        // check() fails with an auth error
// "discover_waits_file": "",                   // discover() writes this file, then waits
//                                              // for a cancel (and throws Cancelled)
// "log_token": false,                          // log the secret "token" on every call,
//                                              // to prove the host masks it
// "log_token_base64": false}                   // the same, base64-encoded
// Each session logs "scripted: session opened" (info) once, so tests can
// count sessions per command.
// Incremental reads resume at the saved {"offset": N}; so do full refreshes
// with resumable_full_refresh, whose reads log "scripted: reading S from
// offset N", so tests see where a run started.
#include <sluice/sdk.hpp>
#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

namespace json = boost::json;

sluice::ErrorKind fail_kind(const json::object& script) {
  const auto* v = script.if_contains("fail_kind");
  const std::string kind = v && v->is_string() ? std::string(v->get_string()) : "source";
  if (kind == "transient") return sluice::ErrorKind::transient;
  if (kind == "rate_limited") return sluice::ErrorKind::rate_limited;
  if (kind == "config") return sluice::ErrorKind::config;
  if (kind == "auth") return sluice::ErrorKind::auth;
  return sluice::ErrorKind::source;
}

int64_t int_or(const json::object& o, const char* key, int64_t fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : fallback;
}

bool flag(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

sluice::FieldPath path_from(const json::value& value) {
  sluice::FieldPath path;
  for (const auto& part : value.as_array()) path.emplace_back(part.as_string());
  return path;
}

const json::object* find_stream(const json::object& config, const std::string& ns, const std::string& name) {
  for (const auto& entry : config.at("streams").as_array()) {
    const auto& s = entry.as_object();
    std::string stream_ns = s.contains("namespace") ? std::string(s.at("namespace").as_string()) : "";
    if (s.at("name").as_string() == name && stream_ns == ns) return &s;
  }
  return nullptr;
}

class ScriptedConnector : public sluice::Connector {
 public:
  ScriptedConnector(const sluice::Config& config, const sluice::Logger& log)
      : config_(config.json()), log_(log), check_fails_(config.optional_boolean("check_fails").value_or(false)) {
    log_plain_ = config.optional_boolean("log_token").value_or(false);
    log_base64_ = config.optional_boolean("log_token_base64").value_or(false);
    if (log_plain_ || log_base64_) token_to_leak_ = config.optional_string("token");
    log.info("scripted: session opened");
  }

  void check() override {
    leak();
    if (check_fails_) throw sluice::Error(sluice::ErrorKind::auth, "simulated authentication failure");
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
    leak();
    if (const auto* file = config_.if_contains("discover_waits_file")) {
      // Stuck in discovery, as a slow source's metadata call can be: says so
      // in a file, then returns only when the host cancels.
      std::ofstream(std::string(file->as_string())) << "waiting";
      // A guard, not a timer a test waits on: a host that never passes the
      // cancel on fails the test instead of hanging it.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!log_.cancelled()) {
        if (std::chrono::steady_clock::now() > give_up) {
          throw sluice::Error(sluice::ErrorKind::internal, "discover was never told of the cancel");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      throw sluice::Cancelled();
    }
    std::vector<sluice::Stream> streams;
    for (const auto& entry : config_.at("streams").as_array()) {
      const auto& s = entry.as_object();
      sluice::Stream stream;
      stream.name = std::string(s.at("name").as_string());
      if (s.contains("namespace")) stream.ns = std::string(s.at("namespace").as_string());
      stream.json_schema = s.at("json_schema").as_object();
      if (const auto* modes = s.if_contains("sync_modes")) {
        stream.sync_modes.clear();
        for (const auto& m : modes->as_array()) {
          for (sluice::SyncMode mode : sluice::all_sync_modes()) {
            if (m.as_string() == sluice::to_string(mode)) stream.sync_modes.push_back(mode);
          }
        }
      } else {
        stream.sync_modes = sluice::all_sync_modes();
      }
      if (const auto* cursor = s.if_contains("cursor")) stream.default_cursor_field = path_from(*cursor);
      if (const auto* key = s.if_contains("primary_key")) {
        for (const auto& part : key->as_array()) stream.primary_key.push_back(path_from(part));
      }
      stream.source_defined_cursor = flag(s, "source_defined_cursor");
      stream.source_defined_primary_key = flag(s, "source_defined_primary_key");
      streams.push_back(std::move(stream));
    }
    return streams;
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    leak();
    {
      const json::object* script = find_stream(config_, stream.ns, stream.name);
      if (!script) throw sluice::Error(sluice::ErrorKind::config, "unknown stream " + stream.name);
      const auto& records = script->at("records").as_array();
      const int64_t batch_size = int_or(*script, "batch_size", 2);
      const int64_t fail_after = int_or(*script, "fail_after_batches", 0);
      const int64_t abort_after = int_or(*script, "abort_after_batches", 0);
      const int64_t sigint_after = int_or(*script, "sigint_after_batches", 0);
      const int64_t bad_line_after = int_or(*script, "bad_line_after_batches", 0);
      const int64_t delay_ms = int_or(*script, "delay_ms", 0);
      const int64_t pause_after = int_or(*script, "pause_after_batches", 0);
      const std::string resume_file =
          script->contains("resume_file") ? std::string(script->at("resume_file").as_string()) : "";
      const bool raw = script->contains("raw_records") && script->at("raw_records").as_bool();
      const bool typed = flag(*script, "typed_records");
      const int64_t bad_utf8_after = int_or(*script, "bad_utf8_cell_after_batches", 0);
      const bool deaf = flag(*script, "pause_ignores_cancel");
      const int64_t segfault_after = int_or(*script, "segfault_after_batches", 0);
      const int64_t allocate_after = int_or(*script, "allocate_mb_after_batches", 0);
      const int64_t allocate_mb = int_or(*script, "allocate_mb", 0);
      const std::string padding(static_cast<size_t>(int_or(*script, "state_padding", 0)), 'x');
      const bool resumable = flag(*script, "resumable_full_refresh");
      size_t offset = 0;
      if ((stream.incremental() || resumable) && stream.state.is_object()) {
        offset = static_cast<size_t>(stream.state.as_object().at("offset").as_int64());
      }
      if (resumable) log_.info("scripted: reading " + stream.name + " from offset " + std::to_string(offset));
      const bool no_checkpoints = flag(*script, "no_checkpoints");
      if (flag(*script, "ignore_cancel")) {
        try {
          read_batches(records, offset, batch_size, no_checkpoints, ctx);
        } catch (const sluice::Cancelled&) {
          // Deaf: goes on as if nothing was said. The 30 s are a guard, not
          // a timer a test waits on.
          const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
          while (std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return;
      }
      int64_t batches = 0;
      while (offset < records.size()) {
        size_t end = std::min(records.size(), offset + static_cast<size_t>(batch_size));
        for (size_t i = offset; i < end; ++i) {
          if (raw) ctx.emit_serialized(records[i].as_object().at("raw").as_string());
          else if (typed) emit_typed(records[i].as_object(), ctx);
          else ctx.emit(records[i].as_object());
        }
        offset = end;
        ++batches;
        if (bad_line_after && batches == bad_line_after) ctx.emit_serialized("{not json");
        if (bad_utf8_after && batches == bad_utf8_after) {
          ctx.set_fields({"id", "v"});
          ctx.int_cell(0);
          ctx.text_cell("caf\xc3");
          ctx.end_record();
        }
        json::object checkpoint{{"offset", static_cast<int64_t>(offset)}};
        if (!padding.empty()) checkpoint["pad"] = padding;
        if (resumable && !stream.incremental()) checkpoint["resumable"] = true;
        if (no_checkpoints) ctx.flush();
        else ctx.checkpoint(checkpoint);
        if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        if (pause_after && batches == pause_after) {
          ctx.flush();
          // The 30 s are a guard, not a timer a test waits on.
          const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
          while (!std::filesystem::exists(resume_file) && (deaf || !log_.cancelled()) &&
                 std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }
        if (abort_after && batches == abort_after) std::abort();
        if (segfault_after && batches == segfault_after) {
          volatile int* volatile nowhere = nullptr;  // a real fault, not raise(): unknown to the compiler
          *nowhere = 1;
        }
        if (allocate_after && batches == allocate_after) {
          std::vector<std::unique_ptr<char[]>> hoard;
          for (int64_t mb = 0; mb < allocate_mb; ++mb) {
            hoard.emplace_back(new char[1 << 20]);
            std::fill_n(hoard.back().get(), 1 << 20, 'x');  // touched, so it is really used
          }
        }
        if (sigint_after && batches == sigint_after) std::raise(SIGINT);
        if (fail_after && batches == fail_after) {
          throw sluice::Error(fail_kind(*script),
                              "scripted failure after " + std::to_string(batches) + " batches");
        }
      }
    }
  }

 private:
  void leak() const {
    if (!token_to_leak_) return;
    if (log_plain_) log_.info("deliberately logging the token: " + *token_to_leak_);
    if (log_base64_) log_.info("deliberately logging the token in base64: " + base64(*token_to_leak_));
  }

  static std::string base64(const std::string& bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 3) {
      uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
      if (i + 1 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
      if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
      out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
  }

  // The plain loop, batch after batch with a checkpoint after each.
  // One record as typed cells, meaning the same JSON object (plugin.h).
  static void emit_typed(const json::object& record, sluice::ReadContext& ctx) {
    std::vector<std::string> fields;
    for (const auto& member : record) fields.emplace_back(member.key());
    ctx.set_fields(std::move(fields));  // nothing happens while records keep their fields
    for (const auto& member : record) {
      const json::value& value = member.value();
      switch (value.kind()) {
        case json::kind::null: ctx.null_cell(); break;
        case json::kind::bool_: ctx.bool_cell(value.get_bool()); break;
        case json::kind::int64: ctx.int_cell(value.get_int64()); break;
        case json::kind::double_: ctx.real_cell(value.get_double()); break;
        case json::kind::string: {
          const auto instant = sluice::support::parse_rfc3339(value.get_string());
          if (instant && sluice::support::format_rfc3339(*instant) == value.get_string()) {
            ctx.timestamp_cell(instant->micros);
          } else {
            ctx.text_cell(value.get_string());
          }
          break;
        }
        default: ctx.json_cell(json::serialize(value));  // uint64, object, array
      }
    }
    ctx.end_record();
  }

  static void read_batches(const json::array& records, size_t offset, int64_t batch_size, bool no_checkpoints,
                           sluice::ReadContext& ctx) {
    while (offset < records.size()) {
      const size_t end = std::min(records.size(), offset + static_cast<size_t>(batch_size));
      for (size_t i = offset; i < end; ++i) ctx.emit(records[i].as_object());
      offset = end;
      if (no_checkpoints) ctx.flush();
      else ctx.checkpoint(json::object{{"offset", static_cast<int64_t>(offset)}});
    }
  }

  json::object config_;
  const sluice::Logger& log_;
  bool check_fails_;
  std::optional<std::string> token_to_leak_;
  bool log_plain_ = false;
  bool log_base64_ = false;
};

constexpr const char* kSpec = R"({"config_schema": {
  "type": "object",
  "required": ["streams"],
  "properties": {"streams": {"type": "array", "items": {"type": "object"}},
                 "token": {"type": "string", "secret": true},
                 "check_fails": {"type": "boolean", "default": false},
                 "log_token": {"type": "boolean", "default": false},
                 "log_token_base64": {"type": "boolean", "default": false},
                 "discover_waits_file": {"type": "string"}}
}})";

}  // namespace

SLUICE_PLUGIN(ScriptedConnector, "scripted", "1.0.0", "tests/sync/scripted_plugin.cpp",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              kSpec)
