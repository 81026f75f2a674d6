#include <sluice/support/pagination.hpp>

#include <sluice/connector.hpp>

namespace sluice::support {

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
  std::string token;
  for (;;) {
    std::string next = fetch(token);
    if (next.empty()) return;
    if (next == token) {
      throw Error(ErrorKind::source, (what.empty() ? "" : what + ": ") +
                                         "pagination did not advance: the API returned the same page token again");
    }
    token = std::move(next);
  }
}

void for_each_checkpoint_page(std::string from,
                              const std::function<std::optional<std::string>(const std::string&)>& fetch) {
  for (;;) {
    auto next = fetch(from);
    if (!next) return;
    if (*next == from) throw Error(ErrorKind::source, "pagination did not advance past checkpoint " + from);
    from = std::move(*next);
  }
}

}  // namespace sluice::support
