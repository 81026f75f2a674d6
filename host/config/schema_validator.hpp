// Config validation against a plugin's JSON Schema (draft 7 subset), with
// valijson. Messages are single lines that name the JSON path and never echo
// a value, so no secret can leak through them.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// nullopt when `schema` is usable as a config schema: a JSON object with
// "type": "object" that is valid against the draft-07 meta-schema and that
// valijson can compile. Otherwise a one-line reason naming the keyword path.
std::optional<std::string> check_config_schema(const boost::json::value& schema);

// Every problem of `config` against `schema`, one line each:
// "<root_path>.<path>: <message>", e.g.
//   source.config.domain: required property missing
//   source.config.events: expected integer, got string
//   source.config.page_size: must be at most 100
//   source.config.colour: unknown property
// Empty when valid. Deterministic order (the config's order).
std::vector<std::string> validate_config(const boost::json::object& schema, const boost::json::value& config,
                                         std::string_view root_path);

// A copy of `config` with every absent property that has a "default" in the
// schema filled in, recursively through nested objects.
boost::json::object apply_defaults(const boost::json::object& schema, const boost::json::object& config);

}  // namespace sluice::host
