// Private to host/config: small helpers shared by the code that walks a config
// schema next to a config (validation messages, defaults, secrets, docs).
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <optional>
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

// ---- The shape of a schema document ----------------------------------------

// Where a subschema sits in its document, as the tokens of a JSON pointer:
// {"properties", "auth", "oneOf", "1"}.
using SchemaPath = std::vector<std::string>;

// How a keyword's value holds subschemas. "items" is both: one schema, or a
// list of them. Every other keyword's value (enum, const, default, examples,
// required...) is data, never a schema.
bool holds_named_schemas(std::string_view keyword);  // properties, definitions, patternProperties, dependencies
bool holds_schema_list(std::string_view keyword);    // allOf, anyOf, oneOf, items
bool holds_one_schema(std::string_view keyword);     // not, if, items, contains, additionalProperties...

// What is wrong with a schema, and where: `at` is the subschema, `keyword`
// the keyword at fault in it ("" when the subschema itself is at fault),
// `message` the rule it breaks, without the place ("must be a number").
struct SchemaProblem {
  SchemaPath at;
  std::string keyword;
  std::string message;
};

// Runs `check` on `schema` and on every object subschema in it, parents
// first, in document order, and returns the first problem it reports.
// Subschemas are the values of the keywords above (the array values of
// "dependencies" are lists of names, not schemas); names under properties,
// definitions, patternProperties and dependencies are names, not keywords.
// "$ref" is not followed: its target is checked where it is written.
// Boolean schemas carry no keywords and are skipped.
using SchemaCheck = std::function<std::optional<SchemaProblem>(const boost::json::object& schema,
                                                               const SchemaPath& at)>;
std::optional<SchemaProblem> first_problem(const boost::json::value& schema, const SchemaCheck& check);

// True for a token that indexes a list ("0", "12").
bool is_index(std::string_view token);

// `at` as a JSON pointer (RFC 6901, "~" and "/" escaped): "/properties/api_key";
// "" for the root.
std::string json_pointer(const SchemaPath& at);
// `at` as config messages print places: "config_schema.properties.c.oneOf[1]"
// for root "config_schema".
std::string dotted_path(std::string_view root, const SchemaPath& at);

}  // namespace sluice::host::detail
