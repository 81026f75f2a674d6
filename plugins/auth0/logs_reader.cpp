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

std::string log_id_of(const json::value& event) {
  const auto* object = event.if_object();
  const auto* id = object ? object->if_contains("log_id") : nullptr;
  if (!id || !id->is_string()) throw sluice::Error(sluice::ErrorKind::source, "auth0: a log event has no log_id");
  return std::string(id->get_string());
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
    json::value oldest = api.get("/logs?sort=" + sluice::support::url_encode("date:1") + "&per_page=1&page=0");
    if (!oldest.is_array() || oldest.get_array().empty()) return;
    ctx.emit(oldest.get_array()[0].as_object());
    from = log_id_of(oldest.get_array()[0]);
    checkpoint(from);
  }
  const std::string take = std::to_string(api.page_size());
  sluice::support::for_each_checkpoint_page(from, [&](const std::string& after) -> std::optional<std::string> {
    json::value page = api.get("/logs?from=" + sluice::support::url_encode(after) + "&take=" + take);
    if (!page.is_array()) throw sluice::Error(sluice::ErrorKind::source, "auth0: GET /api/v2/logs?from= did not answer an array");
    if (page.get_array().empty()) return std::nullopt;
    for (const auto& event : page.get_array()) ctx.emit(event.as_object());
    const std::string last = log_id_of(page.get_array().back());
    checkpoint(last);
    return last;
  });
}

}  // namespace auth0
