// The Management API v2 as the connector uses it: an HttpClient with the
// configured credentials, listing by checkpoint (from/take) where an endpoint
// offers it and by page (include_totals envelope) where it does not, and
// records handed on as the JSON text Auth0 sent.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/fetcher.hpp>
#include <sluice/support/http_client.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace auth0 {

// Receives one record: the JSON text of an object, borrowed for the call.
using ItemHandler = std::function<void(std::string_view item_json)>;

// One per session, owned by the connector: check, discover and every stream
// share its HttpClient and so one access token, renewed only when it expires
// (https://auth0.com/docs/secure/tokens/token-best-practices: reuse tokens;
// the token endpoint is rate-limited).
class Auth0Api {
 public:
  Auth0Api(const sluice::Config& config, const sluice::Logger& logger);

  // GET {base}/api/v2{path_and_query}, parsed: for small answers.
  boost::json::value get(const std::string& path_and_query);
  // The same as the body's text: complete JSON, not parsed.
  std::string get_text(const std::string& path_and_query);

  // Hands each element of the `array_key` array of `body`, an answer of
  // GET /api/v2{path} ("" for a top-level array), to on_item. Throws
  // Error(source) naming the request when the body has no such array or an
  // element is not an object; then nothing of the body was handed on.
  static size_t items(std::string_view body, const std::string& path, const std::string& array_key,
                      const ItemHandler& on_item);
  // The include_totals envelope's total, when the body has one.
  static std::optional<size_t> total(std::string_view body);

  // Page through `path` (page, per_page, include_totals=true), handing on
  // each record of the pages' `array_key` arrays. `query` is extra encoded
  // parameters ("a=b&"). Throws Error(source) naming the request when the
  // pages end before the envelope's total: records past what page-based
  // listing reaches are never dropped silently.
  void list(const std::string& path, const std::string& query, const std::string& array_key,
            const ItemHandler& on_item);

  // Checkpoint pagination: `path`?take=N, then &from={next} while the body
  // ({array_key: [...], "next": ...}) names a next page. The only way past
  // the first 1,000 records of the endpoints that offer it (clients,
  // connections, organizations, organization members). A `next` an earlier
  // page returned is Error(source) naming the request and the pages.
  void list_by_checkpoint(const std::string& path, const std::string& array_key, const ItemHandler& on_item);

  // Workers for reads that overlap their requests (users, logs): up to the
  // configured `concurrency` on the tenant's host, their clients made like
  // the session's and sharing its token. Lives inside one read().
  std::unique_ptr<sluice::support::FetchPool> pool() const;
  // The absolute URL of GET /api/v2{path_and_query}, for a worker's client.
  std::string url(const std::string& path_and_query) const { return api_base_ + path_and_query; }

  size_t page_size() const { return page_size_; }
  // Now, by the session client's clock (HttpOptions::now): the upper bound
  // of an incremental read.
  std::chrono::system_clock::time_point now() const { return client_->options().now(); }

 private:
  std::string api_base_;
  size_t page_size_;
  size_t concurrency_;
  std::shared_ptr<sluice::support::AuthProvider> auth_;
  std::unique_ptr<sluice::support::HttpClient> client_;
};

// The string member `key` of a record's JSON text (an id, a log_id), or
// nullopt when absent or not a string. Parses only that member's value.
std::optional<std::string> string_member(std::string_view object_json, std::string_view key);

// `out` = the record `object_json` (a valid JSON object) with the member
// "key": value_json added, without a DOM. It goes last: the host keeps the
// last of duplicate keys, so the added value wins should Auth0 send the key
// too. `key` must need no JSON escaping; `value_json` must be valid JSON.
void with_last_member(std::string& out, std::string_view object_json, std::string_view key,
                      std::string_view value_json);

}  // namespace auth0
