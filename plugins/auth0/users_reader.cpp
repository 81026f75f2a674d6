// Users. Page-based listing returns at most 1000 results per query
// (https://auth0.com/docs/manage-users/user-search/view-search-results-by-page#limitation),
// so users are read in updated_at windows, q=updated_at:[A TO B] sorted by
// updated_at, and a window whose total reaches the cap is split (in 2 to 8) until
// each fits. After each window the state {"updated_at": B} is checkpointed:
// every user updated at or before B has been emitted. The next run starts at
// B inclusive, so users sharing B's millisecond are re-read (deduplicated by
// user_id in incremental_append_dedup; appended again in incremental_append).
// The upper bound is the run's start: users updated during the run are read
// by the next one. More than 1000 users in one millisecond cannot be split
// further and cannot be listed past the cap (/users offers no checkpoint
// pagination): that fails the stream before any of them is emitted. A window
// is emitted only once read whole with a steady total (see emit_or_retry()).
//
// Requests overlap (Auth0Api::pool()): the first pages of the windows ahead
// are asked while the current one is read, a window's other pages all at
// once when its first page gives the total, and windows are still emitted
// and checkpointed one by one in updated_at order. Nothing is asked past
// 2 x concurrency pages ahead of the window being emitted; a request that
// fails is thrown when its window is next, after every window before it.
#include "readers.hpp"

#include <sluice/support/http_client.hpp>
#include <sluice/support/timestamp.hpp>

#include <chrono>
#include <exception>
#include <algorithm>
#include <list>
#include <optional>
#include <string>
#include <vector>

namespace auth0 {

namespace json = boost::json;

namespace {

constexpr size_t kListingCap = 1000;
constexpr int kWindowAttempts = 3;
// A window at the listing cap is split into concurrency / 2 parts, 2 to 8
// (measured at 50 ms per answer, 20,000 users: at concurrency 4 halves
// beat eight parts, 3.0x against 2.6x the sequential rate; at 16 eight
// parts beat halves, 6.8x against 5.7x).
int64_t split_ways(size_t concurrency) { return std::clamp<int64_t>(static_cast<int64_t>(concurrency) / 2, 2, 8); }  // reads of a window that keeps changing before the stream fails

// Auth0 keeps updated_at to the millisecond, so windows are whole
// milliseconds since the epoch, written as 2024-05-01T10:11:12.345Z.
std::string millis_text(int64_t millis) { return sluice::support::format_rfc3339({millis * 1000}, 3); }

// One answer of GET /users, split on the worker that fetched it: the
// envelope's total and each user's JSON text as Auth0 sent it.
struct UsersPage {
  size_t total = 0;
  std::vector<std::string> users;
};

// A page asked of the pool: its ticket and where its worker puts it.
struct Asked {
  size_t ticket = 0;
  std::shared_ptr<UsersPage> page;
};

// An updated_at window from its first request until it is emitted (or split).
struct Window {
  Window(int64_t from, int64_t to, int nth = 1) : lo(from), hi(to), attempt(nth) {}
  int64_t lo, hi;
  int attempt;
  std::optional<Asked> first;  // page 0
  bool examined = false;       // page 0 waited: total known, or `failed` set
  std::exception_ptr failed;   // thrown when the window is next
  size_t total = 0;
  size_t pages = 1;            // of the window, once its total is known
  std::vector<Asked> rest;     // pages 1.. asked so far
};

class UserWindows {
 public:
  UserWindows(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx)
      : api_(api), stream_(stream), ctx_(ctx), pool_(api.pool()), budget_(2 * pool_->concurrency()),
        split_ways_(split_ways(pool_->concurrency())) {}

  void read(int64_t lo, int64_t hi) {
    plan_.push_back(Window{lo, hi});
    while (!plan_.empty()) {
      look_ahead();
      auto next = plan_.begin();
      if (!next->first) ask_first(*next);
      if (!next->examined) {
        examine(next);  // waits for its first page; may split it, then its first half is next
        continue;
      }
      if (next->failed) std::rethrow_exception(next->failed);
      while (next->rest.size() + 1 < next->pages) ask_page(*next);
      emit_or_retry(*next);
    }
  }

 private:
  // Asks what the windows ahead will need, in order, within the budget:
  // first pages, then (once a first page is in) the rest of its window.
  void look_ahead() {
    for (auto it = plan_.begin(); it != plan_.end() && outstanding_ < budget_;) {
      if (!it->first) {
        ask_first(*it);
      } else if (!it->examined) {
        if (!pool_->done(it->first->ticket)) {
          ++it;
          continue;
        }
        it = examine(it);
      } else if (it->failed) {
        return;  // nothing past a failure will be emitted
      } else if (it->rest.size() + 1 < it->pages) {
        ask_page(*it);
      } else {
        ++it;
      }
    }
  }

  Asked ask(const Window& w, size_t index) {
    const std::string q = "updated_at:[" + millis_text(w.lo) + " TO " + millis_text(w.hi) + "]";
    const std::string url = api_.url("/users?q=" + sluice::support::url_encode(q) + "&sort=" +
                                     sluice::support::url_encode("updated_at:1") +
                                     "&search_engine=v3&include_totals=true&per_page=" +
                                     std::to_string(api_.page_size()) + "&page=" + std::to_string(index));
    auto page = std::make_shared<UsersPage>();
    const size_t ticket = pool_->submit([page, url](sluice::support::HttpClient& client) {
      const std::string body = client.get_json_text(url);
      page->total = Auth0Api::total(body).value_or(0);
      Auth0Api::items(body, "/users", "users", [&](std::string_view user) { page->users.emplace_back(user); });
    });
    ++outstanding_;
    return {ticket, std::move(page)};
  }
  void ask_first(Window& w) { w.first = ask(w, 0); }
  void ask_page(Window& w) { w.rest.push_back(ask(w, w.rest.size() + 1)); }

  // Takes in a window's first page (waiting for it): a window at the cap is replaced
  // by its halves (returned: the first half), else its total is known. An
  // error is kept for when the window is next.
  std::list<Window>::iterator examine(std::list<Window>::iterator it) {
    Window& w = *it;
    w.examined = true;
    --outstanding_;
    try {
      pool_->wait(w.first->ticket);
    } catch (...) {
      w.failed = std::current_exception();
      return std::next(it);
    }
    w.total = w.first->page->total;
    if (w.total >= kListingCap && w.hi > w.lo) {
      // Into up to eight windows, not always halves: the levels of
      // splitting are sequential round trips (a window's total is known
      // only from its first page), and users cluster in time, so halving
      // from start_date to now took ~20 levels; the parts of a level are
      // asked at once, as far as the requests in flight allow.
      const int64_t span = w.hi - w.lo + 1;
      const int64_t ways = std::min<int64_t>(split_ways_, span);
      std::list<Window>::iterator first = it;
      for (int64_t part = 0; part < ways; ++part) {
        const int64_t from = w.lo + span / ways * part + std::min(part, span % ways);
        const int64_t to = from + span / ways + (part < span % ways ? 1 : 0) - 1;
        const auto inserted = plan_.insert(it, Window{from, to});
        if (part == 0) first = inserted;
      }
      plan_.erase(it);
      return first;
    }
    if (w.total > kListingCap) {
      w.failed = std::make_exception_ptr(sluice::Error(
          sluice::ErrorKind::source,
          std::to_string(w.total) + " users share updated_at " + millis_text(w.lo) + ", more than the " +
              std::to_string(kListingCap) +
              " a user search returns, and one millisecond cannot be split: the rest cannot be read this way (a "
              "users export job, POST /api/v2/jobs/users-exports, can read them)"));
      return std::next(it);
    }
    w.pages = std::max<size_t>(1, (w.total + api_.page_size() - 1) / api_.page_size());
    return std::next(it);
  }

  // The window is held until it is read whole: a user updated (or deleted)
  // while its pages are read leaves the window and shifts every later offset
  // by one, so another user would be skipped and, being older than the
  // checkpoint, never read again. A total that changes between pages gives
  // the shift away; then the window is read again. Its pages are taken in
  // order: an error is thrown after the pages before it were checked.
  void emit_or_retry(Window& w) {
    std::vector<std::string>& users = w.first->page->users;
    size_t last_total = w.total;
    size_t taken = 0;
    for (; taken < w.rest.size() && last_total == w.total; ++taken) {
      --outstanding_;
      pool_->wait(w.rest[taken].ticket);
      const UsersPage& page = *w.rest[taken].page;
      last_total = page.total;
      if (last_total == w.total) users.insert(users.end(), page.users.begin(), page.users.end());
    }
    outstanding_ -= w.rest.size() - taken;  // asked, never to be read
    if (last_total == w.total && users.size() == w.total) {
      for (const auto& user : users) ctx_.emit_serialized(user);
      if (stream_.incremental()) {
        ctx_.checkpoint(json::object{{"updated_at", millis_text(w.hi)}});
      } else {
        ctx_.flush();
      }
      plan_.pop_front();
      return;
    }
    const std::string what = "users updated_at [" + millis_text(w.lo) + " TO " + millis_text(w.hi) +
                             "] changed while its pages were read (" + std::to_string(w.total) + " users, then " +
                             std::to_string(last_total) + ", " + std::to_string(users.size()) + " read)";
    if (w.attempt == kWindowAttempts) {
      throw sluice::Error(sluice::ErrorKind::source,
                          what + " " + std::to_string(kWindowAttempts) + " times in a row; nothing of it was stored");
    }
    ctx_.warn(what + "; reading it again");
    w = Window{w.lo, w.hi, w.attempt + 1};
  }

  Auth0Api& api_;
  const sluice::ConfiguredStream& stream_;
  sluice::ReadContext& ctx_;
  std::unique_ptr<sluice::support::FetchPool> pool_;
  size_t budget_;            // pages asked and not yet read, at most
  int64_t split_ways_;       // parts a window at the listing cap is split into
  size_t outstanding_ = 0;   // pages asked and not yet read
  std::list<Window> plan_;   // in updated_at order, from the next to emit
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
