// The Auth0 connector's spec: config schema with titles, descriptions and
// order, so `sluice spec auth0 --format markdown` reads as setup docs.
#pragma once

#include <string>

namespace auth0 {

std::string spec_json();

}  // namespace auth0
