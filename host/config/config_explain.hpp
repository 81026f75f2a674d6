// Private to host/config: turns "this config does not match its schema" into
// messages a person can act on. valijson decides whether a config is valid
// (schema_validator.cpp); this walk explains why not, because valijson's own
// messages lack the expected type, the bound or the pattern, and report every
// oneOf branch's failures at length.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace sluice::host::detail {

// Appends one line per problem, "<path>: <message>", in schema order. Covers
// type, enum, const, required, properties, patternProperties,
// additionalProperties, items, string/number/array/object bounds, pattern,
// multipleOf, uniqueItems, oneOf/anyOf/allOf and not. Other keywords (if/then/
// else, dependencies, contains, propertyNames) are left to valijson's messages.
// Never quotes a string from the config, except the value of a non-secret enum.
void explain(const boost::json::object& root, const boost::json::value& schema, const boost::json::value& value,
             const std::string& path, std::vector<std::string>& out);

}  // namespace sluice::host::detail
