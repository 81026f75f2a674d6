// Private to host/config: small helpers shared by the code that walks a config
// schema next to a config (validation messages, defaults, secrets, docs).
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sluice::host::detail {

// `schema` itself, or what its local "$ref" ("#/definitions/x") points to
// inside `root`, following chains. Returns nullptr when a ref cannot be
// resolved (check_config_schema rejects such schemas at plugin load) or when
// the schema is not an object (boolean schemas carry no keywords).
const boost::json::object* resolve(const boost::json::object& root, const boost::json::value& schema);

// The branches of oneOf, anyOf or allOf (`keyword`), resolved; empty if absent.
std::vector<const boost::json::object*> branches(const boost::json::object& root, const boost::json::object& schema,
                                                 std::string_view keyword);

// True when the schema says "secret": true.
bool is_secret(const boost::json::object& schema);

// The schema's "title" or "" .
std::string title_of(const boost::json::object& schema);

// JSON Schema's name for the type of `value`: null, boolean, integer, number,
// string, array, object. Integral doubles (5.0) count as integer, as in draft 7.
std::string type_name(const boost::json::value& value);

// A number as a person writes it: 500, 0.25, 1e+21. "" for non-numbers.
std::string format_number(const boost::json::value& value);

// JSON paths as messages print them: "a.b", "a[2]"; `base` may be empty.
std::string child_path(std::string_view base, std::string_view key);
std::string index_path(std::string_view base, size_t index);

}  // namespace sluice::host::detail
