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
  std::string array_key;  // the records' array in the answer's envelope
  std::string scope;      // the Management API scope it needs
  // The endpoint offers checkpoint pagination (from/take), so it is read that
  // way: page-based listing stops at 1,000 records on some of them.
  bool checkpoint = false;
};

// users, clients, connections, roles, organizations, organization_members, logs.
std::vector<sluice::Stream> auth0_streams();
// The page-listed streams (not users, logs, organization_members).
const std::vector<StreamInfo>& listed_streams();

}  // namespace auth0
