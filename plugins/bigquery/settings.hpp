// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults.
#pragma once

#include "query_request.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/endpoint.hpp>

#include <string>
#include <vector>

namespace bigquery {

inline constexpr const char* kDefaultBaseUrl = "https://bigquery.googleapis.com";

// max_bytes_billed's default: 10 GiB, about 6 US cents at on-demand prices
// ($6.25 per TiB): a billing question over a month of usage rows reads
// megabytes to a few gigabytes, while a mistaken scan of a whole
// multi-terabyte table is refused before it costs dollars.
inline constexpr int64_t kDefaultMaxBytesBilled = int64_t(10) << 30;

struct Settings {
  std::string project_id;
  std::vector<std::string> datasets;  // empty: all
  QueryOptions query;                 // location, page size
  int64_t max_bytes_billed = kDefaultMaxBytesBilled;  // sluice query: maximumBytesBilled unless the request names one
  std::string credentials_json;       // secret: never logged or put in a message
  sluice::support::Endpoint endpoint; // base_url, token_url (empty: the key's token_uri), ca_file
};

// Throws sluice::Error(config) for a base_url or token_url that breaks the
// SDK's endpoint rule.
Settings read_settings(const sluice::Config& config);

}  // namespace bigquery
