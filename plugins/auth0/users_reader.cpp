// Users. Page-based listing returns at most 1000 results per query
// (https://auth0.com/docs/manage-users/user-search/view-search-results-by-page#limitation),
// so users are read in updated_at windows, q=updated_at:[A TO B] sorted by
// updated_at, and a window whose total reaches the cap is split in half until
// each fits. After each window the state {"updated_at": B} is checkpointed:
// every user updated at or before B has been emitted. The next run starts at
// B inclusive, so users sharing B's millisecond are re-read (deduplicated by
// user_id in incremental_append_dedup; appended again in incremental_append).
// The upper bound is the run's start: users updated during the run are read
// by the next one. More than 1000 users in one millisecond cannot be split
// further and cannot be listed past the cap (/users offers no checkpoint
// pagination): that fails the stream before any of them is emitted. A window
// is emitted only once read whole with a steady total (see read()).
#include "readers.hpp"

#include <sluice/support/http_client.hpp>
#include <sluice/support/timestamp.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace auth0 {

namespace json = boost::json;

namespace {

constexpr size_t kListingCap = 1000;
constexpr int kWindowAttempts = 3;  // reads of a window that keeps changing before the stream fails

// Auth0 keeps updated_at to the millisecond, so windows are whole
// milliseconds since the epoch, written as 2024-05-01T10:11:12.345Z.
std::string millis_text(int64_t millis) { return sluice::support::format_rfc3339({millis * 1000}, 3); }

class UserWindows {
 public:
  UserWindows(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx)
      : api_(api), stream_(stream), ctx_(ctx) {}

  void read(int64_t lo, int64_t hi) {
    for (int attempt = 1;; ++attempt) {
      const std::string first = page(lo, hi, 0);
      const size_t total = Auth0Api::total(first).value_or(0);
      if (total >= kListingCap && hi > lo) {
        const int64_t mid = lo + (hi - lo) / 2;
        read(lo, mid);
        read(mid + 1, hi);
        return;
      }
      if (total > kListingCap) {
        throw sluice::Error(sluice::ErrorKind::source,
                            std::to_string(total) + " users share updated_at " + millis_text(lo) + ", more than the " +
                                std::to_string(kListingCap) +
                                " a user search returns, and one millisecond cannot be split: the rest cannot be read "
                                "this way (a users export job, POST /api/v2/jobs/users-exports, can read them)");
      }
      // The window is held until it is read whole: a user updated (or
      // deleted) while its pages are read leaves the window and shifts every
      // later offset by one, so another user would be skipped and, being
      // older than the checkpoint, never read again. A total that changes
      // between pages gives the shift away; then the window is read again.
      std::vector<std::string> window;
      size_t last_total = total;
      collect(first, window);
      for (size_t p = 1; p * api_.page_size() < total && last_total == total; ++p) {
        const std::string next = page(lo, hi, p);
        last_total = Auth0Api::total(next).value_or(0);
        if (last_total == total && collect(next, window) == 0) break;
      }
      if (last_total == total && window.size() == total) {
        for (const auto& user : window) ctx_.emit_serialized(user);
        if (stream_.incremental()) {
          ctx_.checkpoint(json::object{{"updated_at", millis_text(hi)}});
        } else {
          ctx_.flush();
        }
        return;
      }
      const std::string what = "users updated_at [" + millis_text(lo) + " TO " + millis_text(hi) +
                               "] changed while its pages were read (" + std::to_string(total) + " users, then " +
                               std::to_string(last_total) + ", " + std::to_string(window.size()) + " read)";
      if (attempt == kWindowAttempts) {
        throw sluice::Error(sluice::ErrorKind::source,
                            what + " " + std::to_string(kWindowAttempts) + " times in a row; nothing of it was stored");
      }
      ctx_.warn(what + "; reading it again");
    }
  }

 private:
  // The answer's text: records go on as Auth0 sent them.
  std::string page(int64_t lo, int64_t hi, size_t index) {
    const std::string q = "updated_at:[" + millis_text(lo) + " TO " + millis_text(hi) + "]";
    return api_.get_text("/users?q=" + sluice::support::url_encode(q) + "&sort=" + sluice::support::url_encode("updated_at:1") +
                    "&search_engine=v3&include_totals=true&per_page=" + std::to_string(api_.page_size()) +
                    "&page=" + std::to_string(index));
  }

  static size_t collect(const std::string& body, std::vector<std::string>& window) {
    return Auth0Api::items(body, "/users", "users", [&](std::string_view user) { window.emplace_back(user); });
  }

  Auth0Api& api_;
  const sluice::ConfiguredStream& stream_;
  sluice::ReadContext& ctx_;
};

}  // namespace

void read_users(Auth0Api& api, const sluice::Config& config, const sluice::ConfiguredStream& stream,
                sluice::ReadContext& ctx) {
  int64_t lo = 0;
  if (stream.incremental()) {
    std::string from = config.string("start_date");
    if (stream.state.is_object()) {
      if (const auto* saved = stream.state.as_object().if_contains("updated_at"); saved && saved->is_string()) {
        from = std::string(saved->get_string());
      }
    }
    auto parsed = sluice::support::parse_rfc3339(from);
    if (!parsed) parsed = sluice::support::parse_date(from);
    if (!parsed) {
      throw sluice::Error(sluice::ErrorKind::config,
                          "start_date or saved state " + from + " is not an RFC 3339 timestamp or date");
    }
    lo = std::chrono::floor<std::chrono::milliseconds>(std::chrono::microseconds(parsed->micros)).count();
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          api.now().time_since_epoch()).count();
  UserWindows(api, stream, ctx).read(lo, now);
}

}  // namespace auth0
