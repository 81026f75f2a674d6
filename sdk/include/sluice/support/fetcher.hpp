// Concurrent fetching: requests run on worker threads, each with its own
// HttpClient (the connector's HttpOptions, its AuthProvider shared); results
// come back to the thread in read(), the only one that may emit (plugin.h
// "Threads"). A page failing after its retries throws there once every page
// before it was delivered, none after; a cancel interrupts requests in flight
// and throws Cancelled. A pool joins its workers: keep it inside one read().
#pragma once

#include <sluice/support/http_client.hpp>

#include <cstddef>
#include <optional>

namespace sluice::support {

// A connector's limit on one host (scheme, name, port), shared by all pools
// of the process on it, the lowest setting winning: at most `concurrency`
// jobs running, started at most `requests_per_second` a second (0: no rate).
// A rate-limited answer (429, or as HttpOptions::classify says) halves the
// host's concurrency, never below 1; 8 successes in a row add 1 back, never
// above the setting.
struct FetchLimits {
  size_t concurrency = 4;
  double requests_per_second = 0;
};

// Worker threads fetching from the host of `url`, one job (meant to be one
// request) each at a time. They call options.log, cancelled, now and sleep
// (options_for(logger)'s are safe to call from any thread).
class FetchPool {
 public:
  FetchPool(const HttpOptions& options, std::shared_ptr<AuthProvider> auth, const std::string& url,
            FetchLimits limits = {});
  ~FetchPool();  // abandon(), then joins the workers
  FetchPool(const FetchPool&) = delete;
  FetchPool& operator=(const FetchPool&) = delete;

  // Queues job(a worker's client); jobs start in the order queued. Tickets
  // count 0, 1, 2... for the life of the pool.
  size_t submit(std::function<void(HttpClient&)> job);
  // Returns once `ticket`'s job has ended, rethrowing what it threw (each
  // ticket waited at most once); throws Cancelled once options.cancelled does.
  void wait(size_t ticket);
  bool done(size_t ticket) const;  // wait(ticket) would return at once
  // Drops every job not yet waited: queued ones never start, running ones are
  // interrupted (their client's `cancelled` says true); returns when none
  // runs. Their tickets count as done, with no result. The pool can be reused.
  void abandon();
  size_t concurrency() const;  // limits.concurrency

 private:
  struct State;  // fetcher.cpp
  std::unique_ptr<State> state_;
};

// Independent pages first, first+1, ... before `end`: fetch(client, i) runs
// on the pool, at most pool.concurrency() pages ahead of delivery;
// deliver(i, page) runs here in index order and returns false to stop. With
// no end known (SIZE_MAX), fetch must answer pages past the last (empty).
template <class T>
void fetch_in_order(FetchPool& pool, size_t first, size_t end, const std::function<T(HttpClient&, size_t)>& fetch,
                    const std::function<bool(size_t, T&)>& deliver);

// Chained pages, one ahead: fetch(client, token) runs on the pool while the
// page before is delivered. next(page) runs here first and gives the page's
// next token (nullopt: the last page); then deliver(page), false to stop.
// Tokens as in pagination.hpp: without `from`, page tokens from "" (for_each_
// token_page); with it, checkpoints from *from (for_each_checkpoint_page). A
// repeated token is Error(source) before its page is delivered, and never
// fetched twice.
template <class T>
void prefetch_token_pages(FetchPool& pool, std::optional<std::string> from,
                          const std::function<T(HttpClient&, const std::string&)>& fetch,
                          const std::function<std::optional<std::string>(const T&)>& next,
                          const std::function<bool(T&)>& deliver, const std::string& what = {});

}  // namespace sluice::support

#include <sluice/detail/fetch_order.hpp>
