// Private to host/config: compiles a config schema for valijson so that
// valijson never runs std::regex on text from a connection file. valijson 1.0
// (Debian 12) matches "pattern", "patternProperties" and the date/time
// formats with std::regex, which overflowed the stack on a long config value
// (pattern.hpp). That version has no pluggable regex engine (upstream's
// ValidatorT<RegexEngine> came later, and covers "pattern" only), so the
// schema is rewritten before valijson compiles it:
//   - "pattern" and "format" become Sluice keywords whose constraints run on
//     RE2 (pattern.hpp, string_format.hpp); like draft 7, they apply to
//     strings only;
//   - "patternProperties" is resolved against the object keys `config`
//     actually holds: each key a pattern matches gets that pattern's schema
//     (through "allOf": [{"properties": {key: {"$ref": ...}}}]) and a
//     "properties" entry, so "additionalProperties" still skips it. The
//     pattern's schema moves under the root's "definitions", so a "$ref"
//     pointing into a "patternProperties" no longer resolves; such a schema
//     is refused at load (check_config_schema compiles through here too).
// The rewritten schema accepts exactly the configs the original accepts.
#pragma once

#include "host/config/valijson.hpp"

#include <boost/json.hpp>

namespace sluice::host::detail {

// Compiles `schema` (a JSON object) for validating `config` into `out`.
// Throws what valijson throws for a schema it cannot compile, and
// std::invalid_argument for a pattern RE2 rejects.
void compile_schema(const boost::json::value& schema, const boost::json::value& config, valijson::Schema& out);

}  // namespace sluice::host::detail
