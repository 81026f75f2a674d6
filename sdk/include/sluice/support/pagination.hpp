// Pagination loops: `fetch` requests one page, hands its records on and says
// how to continue; a loop stops at the end and refuses to spin in place.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace sluice::support {

// page=0,1,2...: stops after a page shorter than `page_size` or at `total`
// (when the API reports it). Returns the number of records seen.
struct Page {
  size_t records = 0;
  std::optional<size_t> total;  // from an include_totals-style envelope
};
size_t for_each_page(size_t page_size, const std::function<Page(size_t page_index)>& fetch, size_t first_page = 0);

// Next-page tokens: `fetch("")` first, then each returned token until one is
// empty. A token an earlier page returned is Error(source), never fetched
// twice: "`what`: pagination did not advance: page 3 returned the page token
// of page 2 again" (positions only: a token may hold data). from/take (Auth0):
// `fetch(from)` returns the next `from`, nullopt at the end; same rule.
void for_each_token_page(const std::function<std::string(const std::string& token)>& fetch,
                         const std::string& what = {});
void for_each_checkpoint_page(std::string from,
                              const std::function<std::optional<std::string>(const std::string& from)>& fetch,
                              const std::string& what = {});

}  // namespace sluice::support
