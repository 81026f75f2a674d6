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

// Next-page tokens: `fetch("")` first, then with each returned token until
// one comes back empty. A token repeating is a source error, its message
// starting with `what` when given ("tables.list on dataset p:d").
void for_each_token_page(const std::function<std::string(const std::string& token)>& fetch,
                         const std::string& what = {});

// from/take (Auth0's logs): `fetch(from)` returns the next `from` (the last
// record's id), nullopt after an empty page; an unchanged `from` is an error.
void for_each_checkpoint_page(std::string from,
                              const std::function<std::optional<std::string>(const std::string& from)>& fetch);

}  // namespace sluice::support
