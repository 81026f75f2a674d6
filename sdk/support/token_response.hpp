// Private to the support library: reading an OAuth2 token endpoint's answer
// (RFC 6749 5.1) and turning its refusals into auth errors.
#pragma once

#include "auth_flows.hpp"

namespace sluice::support::detail {

struct TokenAnswer {
  std::string access_token;
  std::chrono::seconds expires_in{3600};
};

// POSTs `fields` as a form (with `headers`: a Basic client authentication) to `token_url` and reads access_token/expires_in.
// A 4xx answer becomes HttpError(auth) "`who`: the token endpoint refused the
// credentials: <error>: <error_description>".
TokenAnswer request_token(HttpClient& client, const std::string& token_url, const Headers& fields,
                          const std::string& who, const Headers& headers = {});

}  // namespace sluice::support::detail
