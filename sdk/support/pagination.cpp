#include <sluice/support/pagination.hpp>
#include <sluice/support/fetcher.hpp>

#include <sluice/connector.hpp>

#include <unordered_map>

namespace sluice::support {

namespace detail {

// Tokens are kept whole, not hashed: a collision would fail a good read, and
// a token is small beside its page.
struct SeenTokens::Map {
  std::unordered_map<std::string, size_t> first_page;
};

SeenTokens::SeenTokens(std::string what, bool checkpoints)
    : what_(std::move(what)), noun_(checkpoints ? "checkpoint" : "page token"), first_page_(std::make_unique<Map>()) {}
SeenTokens::~SeenTokens() = default;

// Records that page `page` returned `token`; throws when an earlier page (0:
// the caller's starting point) did. The message never holds the token.
void SeenTokens::add(const std::string& token, size_t page) {
  const auto [earlier, fresh] = first_page_->first_page.try_emplace(token, page);
  if (fresh) return;
  const std::string of = earlier->second == 0 ? "it started from" : "of page " + std::to_string(earlier->second);
  throw Error(ErrorKind::source, (what_.empty() ? "" : what_ + ": ") + "pagination did not advance: page " +
                                     std::to_string(page) + " returned the " + noun_ + " " + of + " again");
}

}  // namespace detail

size_t for_each_page(size_t page_size, const std::function<Page(size_t)>& fetch, size_t first_page) {
  size_t seen = 0;
  for (size_t page = first_page;; ++page) {
    const Page result = fetch(page);
    seen += result.records;
    if (result.records < page_size) return seen;
    if (result.total && (page + 1) * page_size >= *result.total) return seen;
  }
}

void for_each_token_page(const std::function<std::string(const std::string&)>& fetch, const std::string& what) {
  detail::SeenTokens seen(what, false);
  std::string token;
  for (size_t page = 1;; ++page) {
    std::string next = fetch(token);
    if (next.empty()) return;
    seen.add(next, page);
    token = std::move(next);
  }
}

void for_each_checkpoint_page(std::string from,
                              const std::function<std::optional<std::string>(const std::string&)>& fetch,
                              const std::string& what) {
  detail::SeenTokens seen(what, true);
  seen.add(from, 0);
  for (size_t page = 1;; ++page) {
    auto next = fetch(from);
    if (!next) return;
    seen.add(*next, page);
    from = std::move(*next);
  }
}

}  // namespace sluice::support
