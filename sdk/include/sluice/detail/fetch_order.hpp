// The templates of <sluice/support/fetcher.hpp>: ordered delivery over a
// FetchPool's tickets. Not part of the author API.
#pragma once

#include <sluice/support/fetcher.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sluice::support::detail {

// Abandons what a loop leaves in the pool when it returns or throws, so no
// job outlives the callbacks it borrows.
class PoolScope {
 public:
  explicit PoolScope(FetchPool& pool) : pool_(pool) {}
  ~PoolScope() { pool_.abandon(); }
  PoolScope(const PoolScope&) = delete;
  PoolScope& operator=(const PoolScope&) = delete;

 private:
  FetchPool& pool_;
};

// A job's result, filled on a worker and read here after wait(ticket).
template <class T>
struct Pending {
  size_t ticket = 0;
  std::shared_ptr<std::optional<T>> page;
};

// Which page first returned each token (pagination.cpp): add() throws
// Error(source) for a token seen before, naming pages, never the token.
class SeenTokens {
 public:
  SeenTokens(std::string what, bool checkpoints);
  ~SeenTokens();
  void add(const std::string& token, size_t page);

 private:
  struct Map;
  std::string what_;
  const char* noun_;
  std::unique_ptr<Map> first_page_;
};

}  // namespace sluice::support::detail

namespace sluice::support {

template <class T>
void fetch_in_order(FetchPool& pool, size_t first, size_t end, const std::function<T(HttpClient&, size_t)>& fetch,
                    const std::function<bool(size_t, T&)>& deliver) {
  detail::PoolScope scope(pool);
  std::deque<detail::Pending<T>> ahead;  // pages fetched or fetching, in index order
  size_t queued = first;
  for (size_t index = first;; ++index) {
    while (ahead.size() < pool.concurrency() && queued < end) {
      auto page = std::make_shared<std::optional<T>>();
      const size_t i = queued++;
      const size_t ticket = pool.submit([page, i, &fetch](HttpClient& client) { page->emplace(fetch(client, i)); });
      ahead.push_back({ticket, std::move(page)});
    }
    if (ahead.empty()) return;
    detail::Pending<T> next = std::move(ahead.front());
    ahead.pop_front();
    pool.wait(next.ticket);
    if (!deliver(index, **next.page)) return;
  }
}

template <class T>
void prefetch_token_pages(FetchPool& pool, std::optional<std::string> from,
                          const std::function<T(HttpClient&, const std::string&)>& fetch,
                          const std::function<std::optional<std::string>(const T&)>& next,
                          const std::function<bool(T&)>& deliver, const std::string& what) {
  detail::PoolScope scope(pool);
  detail::SeenTokens seen(what, from.has_value());
  if (from) seen.add(*from, 0);
  auto request = [&](std::string token) {
    auto page = std::make_shared<std::optional<T>>();
    const size_t ticket = pool.submit(
        [page, token = std::move(token), &fetch](HttpClient& client) { page->emplace(fetch(client, token)); });
    return detail::Pending<T>{ticket, std::move(page)};
  };
  detail::Pending<T> current = request(from.value_or(""));
  for (size_t page = 1;; ++page) {
    pool.wait(current.ticket);
    std::optional<std::string> token = next(**current.page);
    if (token && token->empty() && !from) token.reset();  // page tokens end at ""
    std::optional<detail::Pending<T>> ahead;
    if (token) {
      seen.add(*token, page);
      ahead = request(*token);
    }
    if (!deliver(**current.page) || !ahead) return;
    current = std::move(*ahead);
  }
}

}  // namespace sluice::support
