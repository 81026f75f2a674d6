// A plugin's config schema as a Markdown table, for `sluice spec --format
// markdown` and docs/connectors/*.md.
#pragma once

#include <boost/json.hpp>

#include <string>

namespace sluice::host {

// Renders one table:
//   | Field | Type | Required | Default | Secret | Description |
// Fields follow "order" (fields without it last), then name. Nested objects
// and array elements appear as dotted paths (credentials.client_id, hosts[].name).
// A oneOf/anyOf choice gets its own row (Type "object: one of A, B"), then
// each branch's fields, their Description starting "(when credentials is A)";
// a choice at the top level reads "(when the config is A)". Type is the JSON
// type with its format or allowed values: `string (date-time)`,
// `string: one of us, eu`, `string: always token`, `array of string`,
// `string or null`. Default is the JSON default in backticks. Description is
// the title, a period, then the description. Pipes are escaped, newlines become
// <br>. The output is byte-for-byte stable for a given schema (docs tests
// compare it), ending in a newline. A schema without properties renders as
// "This connector takes no configuration.\n".
std::string render_config_table_markdown(const boost::json::object& config_schema);

}  // namespace sluice::host
