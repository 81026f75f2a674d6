// Indented JSON for people (Boost.JSON 1.81 only serialises compactly).
#pragma once

#include <boost/json.hpp>

#include <string>

namespace sluice::host::cli {

std::string pretty_json(const boost::json::value& value);

}  // namespace sluice::host::cli
