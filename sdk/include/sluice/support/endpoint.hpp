// The base-URL rule every connector shares. Config fields: base_url (the API
// root instead of the vendor's: proxy, private endpoint, emulator), token_url
// (the OAuth token endpoint instead of the vendor's), ca_file (extra CAs, PEM).
// https:// is required; plain http:// only to 127.0.0.1, ::1 or localhost.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace sluice::support {

struct Endpoint {
  std::string base_url;   // no trailing '/'
  std::string token_url;  // "" when the connector has no token endpoint
  std::string ca_file;    // "" when not configured
};

// `url` without a trailing '/', or Error(config) naming `field` when it breaks
// the rule ("base_url: plain http:// is allowed only for loopback hosts, ...").
std::string checked_url(std::string_view url, std::string_view field);

// The config's base_url/token_url/ca_file when set and not empty, else the defaults.
Endpoint endpoint_from_config(const boost::json::object& config, std::string_view default_base_url,
                              std::string_view default_token_url = {});

// The three fields' JSON Schema properties (titles, descriptions, `order` from
// `first_order`), to merge into a config schema's "properties".
boost::json::object endpoint_schema_properties(bool with_token_url, int first_order);

}  // namespace sluice::support
