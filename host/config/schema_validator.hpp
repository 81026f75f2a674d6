// Config schemas as data (DESIGN.md decision 6): check a plugin's schema once
// at load, validate every config against it before the plugin sees it, and
// fill in its defaults.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// Returns nullopt when `schema` is a usable config schema: a JSON object that
// satisfies the draft-07 meta-schema (with Sluice's "secret": boolean and
// "order": integer), whose patterns are valid ECMAScript regular expressions,
// whose top-level "type" (if any) is "object", and which valijson can compile
// (local "$ref"s only). Otherwise one line naming the place and the problem,
// e.g. `config_schema.properties.events: "type" must be one of array, boolean,
// integer, null, number, object, string, or a list of them`.
// Unknown keywords (title, description, order, secret, examples...) are allowed.
std::optional<std::string> check_config_schema(const boost::json::value& schema);

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
