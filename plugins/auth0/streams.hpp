// The Auth0 streams and their JSON Schemas, from the Management API v2
// objects (https://auth0.com/docs/api/management/v2).
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace auth0 {

struct StreamInfo {
  std::string name;
  std::string path;       // under /api/v2
  std::string array_key;  // the envelope's array with include_totals=true
  std::string scope;      // the Management API scope it needs
};

// users, clients, connections, roles, organizations, organization_members, logs.
std::vector<sluice::Stream> auth0_streams();
// The page-listed streams (not users, logs, organization_members).
const std::vector<StreamInfo>& listed_streams();

}  // namespace auth0
