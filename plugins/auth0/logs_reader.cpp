// Logs by checkpoint pagination
// (https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api):
// GET /logs?from={log_id}&take=100 returns up to 100 events newer than
// log_id, ordered by log_id. With no saved log_id the oldest retained event
// is found with sort=date:1&per_page=1, emitted, and used as the start.
#include "readers.hpp"

#include <sluice/support/http_client.hpp>
#include <sluice/support/pagination.hpp>

namespace auth0 {

namespace json = boost::json;

namespace {

std::string log_id_of(std::string_view event_json) {
  auto id = string_member(event_json, "log_id");
  if (!id) throw sluice::Error(sluice::ErrorKind::source, "GET /api/v2/logs: a log event has no log_id");
  return std::move(*id);
}

// Emits the events of one answer (a top-level array); returns the last
// one's log_id, or "" when there were none.
std::string emit_events(const std::string& body, sluice::ReadContext& ctx) {
  std::string_view last;
  Auth0Api::items(body, "/logs", "", [&](std::string_view event) {
    ctx.emit_serialized(event);
    last = event;
  });
  return last.empty() ? std::string() : log_id_of(last);
}

}  // namespace

void read_logs(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
  std::string from;
  if (stream.incremental() && stream.state.is_object()) {
    if (const auto* saved = stream.state.as_object().if_contains("log_id"); saved && saved->is_string()) {
      from = std::string(saved->get_string());
    }
  }
  auto checkpoint = [&](const std::string& log_id) {
    if (stream.incremental()) ctx.checkpoint(json::object{{"log_id", log_id}});
    else ctx.flush();
  };
  if (from.empty()) {
    from = emit_events(api.get_text("/logs?sort=" + sluice::support::url_encode("date:1") + "&per_page=1&page=0"), ctx);
    if (from.empty()) return;
    checkpoint(from);
  }
  const std::string take = std::to_string(api.page_size());
  sluice::support::for_each_checkpoint_page(from, [&](const std::string& after) -> std::optional<std::string> {
    const std::string last = emit_events(api.get_text("/logs?from=" + sluice::support::url_encode(after) + "&take=" + take), ctx);
    if (last.empty()) return std::nullopt;
    checkpoint(last);
    return last;
  });
}

}  // namespace auth0
