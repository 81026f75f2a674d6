// Is a JSON Schema a plugin hands the host usable? Checked before the host
// relies on it: a config schema once, when the plugin loads.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace sluice::host {

// Returns nullopt when `schema` is a usable config schema: a JSON object that
// satisfies the draft-07 meta-schema (with Sluice's "secret": boolean and
// "order": integer), whose patterns are valid ECMAScript regular expressions,
// whose top-level "type" (if any) is "object", and which valijson can compile
// (local "$ref"s only). Otherwise one line naming the place and the problem,
// e.g. `config_schema.properties.events: "type" must be one of array, boolean,
// integer, null, number, object, string, or a list of them`.
// Unknown keywords are not this check's business (keyword_lint.hpp).
std::optional<std::string> check_config_schema(const boost::json::value& schema);

}  // namespace sluice::host
