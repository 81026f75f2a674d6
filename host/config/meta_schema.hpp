// Private to host/config: the JSON Schema that every schema a plugin hands
// the host must satisfy (config schemas, stream record schemas), and what it
// says about keywords and types.
#pragma once

#include "host/config/schema_walk.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host::detail {

// The draft-07 meta-schema (json-schema.org/draft-07/schema) plus Sluice's two
// extension keywords, as JSON text.
extern const std::string_view kConfigMetaSchema;

// nullopt when `schema` satisfies the meta-schema; otherwise its deepest
// failure: the subschema, the keyword at fault and the rule in words
// ("must be a number"), or no keyword and "must be a schema (an object or a
// boolean), not ..." when a subschema is not one.
std::optional<SchemaProblem> meta_schema_problem(const boost::json::value& schema);

// Every keyword the meta-schema defines (draft 7's and Sluice's), sorted.
const std::vector<std::string>& known_keywords();

// Draft 7's type names (array, boolean, integer, null, number, object,
// string), sorted.
const std::vector<std::string>& known_type_names();

}  // namespace sluice::host::detail
