// Reading the streams that need more than page-based listing.
#pragma once

#include "auth0_api.hpp"

namespace auth0 {

// Users by updated_at windows small enough for the 1000-result cap.
void read_users(Auth0Api& api, const sluice::Config& config, const sluice::ConfiguredStream& stream,
                sluice::ReadContext& ctx);
// Logs by checkpoint pagination (from/take) after the saved log_id.
void read_logs(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx);

}  // namespace auth0
