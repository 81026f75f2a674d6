// Logs by checkpoint pagination
// (https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api):
// GET /logs?from={log_id}&take=100 returns up to 100 events newer than
// log_id, ordered by log_id. With no saved log_id the oldest retained event
// is found with sort=date:1&per_page=1, emitted, and used as the start.
//
// The next `from` is the last event's log_id, so a page whose last log_id
// was seen before repeats events already read. A page is therefore emitted
// only once the paging loop has accepted its last log_id as new: it is held
// until the loop asks for the page after it, and a repeat fails the read
// before any of its events reach the target.
//
// The page after is asked (prefetch_token_pages, on Auth0Api::pool()) as
// soon as a page's last log_id is accepted, so it is on its way while the
// page is emitted and checkpointed.
#include "readers.hpp"

#include <sluice/support/fetcher.hpp>
#include <sluice/support/http_client.hpp>

#include <utility>
#include <vector>

namespace auth0 {

namespace json = boost::json;

namespace {

std::string log_id_of(std::string_view event_json) {
  auto id = string_member(event_json, "log_id");
  if (!id) throw sluice::Error(sluice::ErrorKind::source, "GET /api/v2/logs: a log event has no log_id");
  return std::move(*id);
}

// One answer (a top-level array of events), split but not yet emitted: the
// events' text copied end to end into one buffer (an element's text is only
// valid during its callback), each one's span kept.
class LogPage {
 public:
  explicit LogPage(const std::string& body) {
    Auth0Api::items(body, "/logs", "", [&](std::string_view event) {
      spans_.emplace_back(text_.size(), event.size());
      text_.append(event);
    });
  }
  size_t size() const { return spans_.size(); }
  std::string_view event(size_t i) const { return std::string_view(text_).substr(spans_[i].first, spans_[i].second); }
  // The last event's log_id, or "" when the page is empty.
  std::string last_log_id() const { return spans_.empty() ? std::string() : log_id_of(event(spans_.size() - 1)); }

 private:
  std::string text_;
  std::vector<std::pair<size_t, size_t>> spans_;  // offset, length in text_
};

}  // namespace

void read_logs(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
  std::string from;
  if (stream.incremental() && stream.state.is_object()) {
    if (const auto* saved = stream.state.as_object().if_contains("log_id"); saved && saved->is_string()) {
      from = std::string(saved->get_string());
    }
  }
  // Emits a page and the checkpoint that covers it.
  auto deliver = [&](const LogPage& page, const std::string& last) {
    for (size_t i = 0; i < page.size(); ++i) ctx.emit_serialized(page.event(i));
    if (stream.incremental()) ctx.checkpoint(json::object{{"log_id", last}});
    else ctx.flush();
  };
  if (from.empty()) {
    const LogPage oldest(api.get_text("/logs?sort=" + sluice::support::url_encode("date:1") + "&per_page=1&page=0"));
    from = oldest.last_log_id();
    if (from.empty()) return;
    deliver(oldest, from);
  }
  const std::string take = std::to_string(api.page_size());
  const auto pool = api.pool();
  sluice::support::prefetch_token_pages<LogPage>(
      *pool, from,
      [&api, &take](sluice::support::HttpClient& client, const std::string& after) {
        return LogPage(client.get_json_text(api.url("/logs?from=" + sluice::support::url_encode(after) + "&take=" + take)));
      },
      [](const LogPage& page) -> std::optional<std::string> {
        std::string last = page.last_log_id();
        if (last.empty()) return std::nullopt;
        return last;
      },
      [&](LogPage& page) {
        if (page.size() == 0) return false;
        deliver(page, page.last_log_id());  // accepted as new before this runs
        return true;
      },
      "GET /api/v2/logs");
}

}  // namespace auth0
