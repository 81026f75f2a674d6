// A config schema keyword that is neither draft 7's nor Sluice's is a typo a
// validator would silently ignore: the plugin is rejected at load, with the
// keyword, its place as a JSON pointer, and the keyword it probably meant.
#include "host/config/keyword_lint.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

namespace {
std::string lint(const std::string& schema) { return find_unknown_keyword(json::parse(schema)).value_or("OK"); }
}  // namespace

TEST_CASE("a schema using draft 7 keywords and Sluice's secret and order has no unknown keyword") {
  CHECK(lint(R"({
    "$schema": "http://json-schema.org/draft-07/schema#", "$comment": "x",
    "title": "T", "type": "object", "required": ["domain"], "additionalProperties": false,
    "definitions": {"secretString": {"type": "string", "secret": true, "writeOnly": true}},
    "properties": {
      "domain": {"type": "string", "title": "Domain", "description": "Tenant", "order": 0,
                 "pattern": "^[a-z.]+$", "format": "hostname", "examples": ["acme.com"], "minLength": 1},
      "token": {"$ref": "#/definitions/secretString"},
      "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "contains": {"const": "a"}},
      "auth": {"oneOf": [{"type": "object", "properties": {"k": {"const": "a"}}},
                         {"type": "object", "not": {"required": ["x"]}}]},
      "mode": {"if": {"const": "a"}, "then": {"readOnly": true}, "else": {"enum": ["b"]}}
    }})") == "OK");
}

TEST_CASE("a misspelled keyword in a nested property is named with its place and the keyword it resembles") {
  CHECK(lint(R"({"type": "object", "properties": {"api_key": {"type": "string", "secert": true}}})") ==
        R"(unknown keyword "secert" at /properties/api_key (did you mean "secret"?))");
  CHECK(lint(R"({"properties": {"auth": {"type": "object",
                 "properties": {"client": {"type": "object", "properties": {"id": {"titel": "Id"}}}}}}})") ==
        R"(unknown keyword "titel" at /properties/auth/properties/client/properties/id (did you mean "title"?))");
}

TEST_CASE("unknown keywords are found in items, oneOf branches, definitions and the other subschemas") {
  CHECK(lint(R"({"properties": {"tags": {"type": "array", "items": {"type": "string", "minLenght": 1}}}})") ==
        R"(unknown keyword "minLenght" at /properties/tags/items (did you mean "minLength"?))");
  CHECK(lint(R"({"properties": {"pair": {"type": "array", "items": [{"type": "string"}, {"tpye": "string"}]}}})") ==
        R"(unknown keyword "tpye" at /properties/pair/items/1 (did you mean "type"?))");
  CHECK(lint(R"({"properties": {"auth": {"oneOf": [{"type": "object"}, {"type": "object", "requried": ["k"]}]}}})") ==
        R"(unknown keyword "requried" at /properties/auth/oneOf/1 (did you mean "required"?))");
  CHECK(lint(R"({"definitions": {"key": {"type": "string", "secrte": true}}})") ==
        R"(unknown keyword "secrte" at /definitions/key (did you mean "secret"?))");
  CHECK(lint(R"({"additionalProperties": {"not": {"patern": "^a"}}})") ==
        R"(unknown keyword "patern" at /additionalProperties/not (did you mean "pattern"?))");
}

TEST_CASE("property and definition names that look like misspelled keywords are names, not keywords") {
  CHECK(lint(R"({"type": "object", "required": ["secert"],
                 "properties": {"secert": {"type": "boolean"}, "titel": {"type": "string"}},
                 "definitions": {"secert": {"type": "string"}},
                 "patternProperties": {"^secert": {"type": "string"}},
                 "dependencies": {"secert": ["titel"], "titel": {"required": ["secert"]}}})") == "OK");
}

TEST_CASE("the values of enum, const, default and examples are data, not schemas") {
  CHECK(lint(R"({"properties": {"x": {"type": "object", "default": {"secert": 1}, "examples": [{"secert": 1}],
                                      "enum": [{"secert": 1}], "const": {"secert": 1}}}})") == "OK");
}

TEST_CASE("an unknown keyword at the top level, unlike any known one, gets no suggestion") {
  CHECK(lint(R"({"type": "object", "x-display-group": "main"})") ==
        R"(unknown keyword "x-display-group" at the top level)");
}

TEST_CASE("a property name with a slash or a tilde is escaped in the JSON pointer") {
  CHECK(lint(R"({"properties": {"a/b~c": {"secert": true}}})") ==
        R"(unknown keyword "secert" at /properties/a~1b~0c (did you mean "secret"?))");
}
