// Config schemas as data (DESIGN.md decision 6): check a plugin's schema once
// at load, validate every config against it before the plugin sees it, and
// fill in its defaults.
#pragma once

#include "host/config/schema_check.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// Validates `config` against `schema` (already accepted by check_config_schema).
// Returns every problem, one line each, `<root_path>.<json path>: <message>`,
// array indices as [i], in a deterministic order without duplicates; an empty
// vector means valid. valijson decides validity; the messages are Sluice's own
// (expected integer, got string / must be at most 100 (got 500) / ...). String
// values from the config are never quoted, except for a non-secret enum
// mismatch; secret numbers are not quoted either.
std::vector<std::string> validate_config(const boost::json::object& schema, const boost::json::value& config,
                                         std::string_view root_path);

// A copy of `config` in which every property absent from it but with a
// "default" in the schema is set to that default: at the top level, in nested
// objects present in the config, in the elements of arrays of objects, in
// allOf branches, and in the oneOf/anyOf branch the object matches (only when
// exactly one matches). Objects absent from the config are not created.
// Call it after validate_config.
boost::json::object apply_defaults(const boost::json::object& schema, const boost::json::object& config);

}  // namespace sluice::host
