// The base-URL rule every connector shares. A connector's config may carry
//   base_url   the API root to call instead of the vendor's (proxy, private
//              endpoint, emulator);
//   token_url  the OAuth token endpoint to call instead of the vendor's;
//   ca_file    a PEM file of extra CAs to trust (a private CA or a proxy's).
// https:// is required, except plain http:// to a loopback host (127.0.0.1,
// ::1, localhost) for local emulators. Anything else is a config error that
// names the field.
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

// Validates one URL under the rule; `field` names it in errors
// ("base_url: plain http:// is allowed only for loopback hosts, got host example.com").
// Returns it without a trailing '/'.
std::string checked_url(std::string_view url, std::string_view field);

// The endpoint from a config object: its base_url/token_url/ca_file when
// present and not empty, else the given defaults.
Endpoint endpoint_from_config(const boost::json::object& config, std::string_view default_base_url,
                              std::string_view default_token_url = {});

// JSON Schema properties for the three fields, with titles, descriptions and
// `order` starting at `first_order`, so every connector declares them alike.
// Merge them into the config schema's "properties".
boost::json::object endpoint_schema_properties(bool with_token_url, int first_order);

}  // namespace sluice::support
