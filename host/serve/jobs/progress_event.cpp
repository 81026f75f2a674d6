#include "host/serve/jobs/progress_event.hpp"

#include <boost/json.hpp>

namespace sluice::host::serve {

namespace json = boost::json;

namespace {

std::optional<ProgressEvent::Kind> kind_from(std::string_view name) {
  using Kind = ProgressEvent::Kind;
  for (Kind kind : {Kind::stream_started, Kind::progress, Kind::checkpoint, Kind::stream_done, Kind::sync_done,
                    Kind::query_columns, Kind::query_done}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

uint64_t count(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
  return 0;
}

double number(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : 0;
}

}  // namespace

const char* to_string(ProgressEvent::Kind kind) {
  switch (kind) {
    case ProgressEvent::Kind::stream_started: return "stream_started";
    case ProgressEvent::Kind::progress: return "progress";
    case ProgressEvent::Kind::checkpoint: return "checkpoint";
    case ProgressEvent::Kind::stream_done: return "stream_done";
    case ProgressEvent::Kind::sync_done: return "sync_done";
    case ProgressEvent::Kind::query_columns: return "query_columns";
    case ProgressEvent::Kind::query_done: return "query_done";
  }
  return "progress";
}

std::optional<ProgressEvent> parse_progress_event(std::string_view line) {
  json::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  auto kind = kind_from(text(o, "event"));
  if (!kind) return std::nullopt;
  ProgressEvent event;
  event.kind = *kind;
  event.at = text(o, "at");
  event.stream = text(o, "stream");
  event.table = text(o, "table");
  event.mode = text(o, "mode");
  event.records = count(o, "records");
  event.bytes = count(o, "bytes");
  event.seconds = number(o, "seconds");
  event.status = text(o, "status");
  event.error_kind = text(o, "error_kind");
  event.error = text(o, "error");
  event.sync_id = text(o, "sync_id");
  event.exit_code = static_cast<int>(number(o, "exit_code"));
  event.failure = text(o, "failure");
  event.message = text(o, "message");
  if (const auto* columns = o.if_contains("columns"); columns && columns->is_array()) {
    event.columns_json = json::serialize(*columns);
  }
  if (const auto* facts = o.if_contains("facts"); facts && facts->is_object()) event.facts_json = json::serialize(*facts);
  if (const auto* truncated = o.if_contains("truncated"); truncated && truncated->is_bool()) {
    event.truncated = truncated->get_bool();
  }
  event.truncated_by = text(o, "truncated_by");
  return event;
}

}  // namespace sluice::host::serve
