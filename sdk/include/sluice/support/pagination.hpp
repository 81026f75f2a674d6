// Pagination loops shared by connectors. Each takes a fetch function that
// requests one page, hands its records on, and reports how to continue; the
// loop stops at the end and refuses to spin when the API does not advance.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace sluice::support {

// Page/offset listing (page=0,1,2... with a page size): stops after a page
// shorter than `page_size`, or when `total` (if the API reports it) is
// reached. Returns the number of records seen.
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

// Checkpoint pagination (`from`/`take`, as Auth0's logs): `fetch(from)`
// returns the next `from` (the id of the last record) or nullopt when the
// page was empty. A `from` that does not change is a source error.
void for_each_checkpoint_page(std::string from,
                              const std::function<std::optional<std::string>(const std::string& from)>& fetch);

}  // namespace sluice::support
