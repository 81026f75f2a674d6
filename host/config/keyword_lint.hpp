// Keywords a JSON Schema validator would silently ignore. Draft 7 allows
// unknown keywords, so `"secert": true` is a valid schema whose field is
// then shown and stored in clear text: the host rejects the plugin instead.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace sluice::host {

// Returns nullopt when every keyword in `schema` and its subschemas is a
// draft 7 keyword or one of Sluice's extensions ("secret", "order"; the
// meta-schema in meta_schema.cpp is the list). Otherwise one line for the
// first unknown keyword in document order, with its subschema's JSON pointer
// and the nearest known keyword when it looks like a typo:
// `unknown keyword "secert" at /properties/api_key (did you mean "secret"?)`,
// `... at the top level` for the root. Names under properties, definitions,
// patternProperties and dependencies are names, not keywords, and the values
// of enum, const, default and examples are data: none of them is checked.
// Call it on a schema check_config_schema accepted.
std::optional<std::string> find_unknown_keyword(const boost::json::value& schema);

}  // namespace sluice::host
