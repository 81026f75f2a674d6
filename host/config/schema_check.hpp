// Is a JSON Schema a plugin hands the host usable? Checked before the host
// relies on it: a config schema once, when the plugin loads; a stream's record
// schema when a sync is about to create tables from it.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sluice::host {

// Returns nullopt when `schema` is a usable config schema: a JSON object that
// satisfies the draft-07 meta-schema (with Sluice's "secret": boolean and
// "order": integer), whose patterns are valid RE2 regular expressions
// (pattern.hpp: ECMAScript without lookaround and backreferences),
// whose top-level "type" (if any) is "object", and which valijson can compile
// (local "$ref"s only). Otherwise one line naming the place and the problem,
// e.g. `config_schema.properties.events: "type" must be one of array, boolean,
// integer, null, number, object, string, or a list of them`.
// Unknown keywords are not this check's business (keyword_lint.hpp).
std::optional<std::string> check_config_schema(const boost::json::value& schema);

// Returns nullopt when `schema` is a usable record schema (a catalog stream's
// "json_schema"): every "type" names only draft 7 types, and it passes the
// same meta-schema, pattern and compile checks as a config schema (any
// top-level type). Otherwise one line, `<name> <JSON pointer>: <problem>`,
// the pointer naming the offending keyword, e.g.
// `json_schema /properties/amount/type: unknown type "strnig"` or
// `json_schema /properties/amount/minimum: must be a number` (no pointer when
// the whole schema is at fault).
std::optional<std::string> check_record_schema(const boost::json::value& schema, std::string_view name);

}  // namespace sluice::host
