// A plugin's config schema is checked once at load against the draft-07
// meta-schema (plus Sluice's keywords).
#include "host/config/schema_validator.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

namespace {
std::string problem(const std::string& schema) { return check_config_schema(json::parse(schema)).value_or("OK"); }
}  // namespace

TEST_CASE("a schema using the supported subset and Sluice keywords is accepted") {
  CHECK(problem(R"({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Auth0", "type": "object", "required": ["domain"], "additionalProperties": false,
    "definitions": {"secretString": {"type": "string", "secret": true}},
    "properties": {
      "domain": {"type": "string", "title": "Domain", "description": "Tenant", "order": 0,
                 "pattern": "^[a-z0-9.-]+$", "examples": ["acme.eu.auth0.com"]},
      "start": {"type": ["string", "null"], "format": "date-time", "order": 1},
      "page_size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
      "region": {"type": "string", "enum": ["us", "eu"]},
      "token": {"$ref": "#/definitions/secretString"},
      "credentials": {"oneOf": [
        {"title": "a", "type": "object", "properties": {"k": {"const": "a"}}},
        {"title": "b", "type": "object", "properties": {"k": {"const": "b"}}}]}
    }})") == "OK");
  CHECK(problem(R"({})") == "OK");
}

TEST_CASE("an unknown type is rejected with its place") {
  CHECK(problem(R"({"type":"object","properties":{"events":{"type":"bogus"}}})") ==
        "config_schema.properties.events: \"type\" must be one of array, boolean, integer, null, number, object, "
        "string, or a list of them");
}

TEST_CASE("properties must be an object") {
  CHECK(problem(R"({"type":"object","properties":[]})") ==
        "config_schema: \"properties\" must be an object whose values are schemas");
}

TEST_CASE("a property that is not a schema is named with the type it has instead") {
  CHECK(problem(R"({"type":"object","properties":{"events":5}})") ==
        "config_schema.properties.events: must be a schema (an object or a boolean), not integer");
  CHECK(problem(R"({"properties":{"c":{"oneOf":[{"type":"object"},"b"]}}})") ==
        "config_schema.properties.c.oneOf[1]: must be a schema (an object or a boolean), not string");
}

TEST_CASE("Sluice keywords are typed") {
  CHECK(problem(R"({"properties":{"key":{"type":"string","secret":"yes"}}})") ==
        "config_schema.properties.key: \"secret\" must be a boolean");
  CHECK(problem(R"({"properties":{"key":{"type":"string","order":"first"}}})") ==
        "config_schema.properties.key: \"order\" must be an integer");
}

TEST_CASE("problems inside oneOf branches and items are located") {
  CHECK(problem(R"({"properties":{"c":{"oneOf":[{"type":"object"},{"required":"x"}]}}})") ==
        "config_schema.properties.c.oneOf[1]: \"required\" must be a list of distinct strings");
  CHECK(problem(R"({"properties":{"c":{"oneOf":[]}}})") ==
        "config_schema.properties.c: \"oneOf\" must be a non-empty list of schemas");
  CHECK(problem(R"({"properties":{"c":{"type":"array","items":{"minItems":-1}}}})") ==
        "config_schema.properties.c.items: \"minItems\" must be a non-negative integer");
}

TEST_CASE("a schema that is not an object, or not for an object, is rejected") {
  CHECK(problem("[]") == "config_schema: must be a JSON object");
  CHECK(problem(R"({"type":"string"})") ==
        "config_schema: \"type\" must be \"object\" at the top level (a config is a JSON object)");
}

TEST_CASE("patterns must be valid regular expressions, in RE2's syntax, which validation runs them with") {
  CHECK(problem(R"({"properties":{"d":{"type":"string","pattern":"([a-z"}}})") ==
        "config_schema.properties.d: \"pattern\" is not a valid regular expression (missing ]: [a-z)");
  // ECMAScript lookahead: std::regex took it, RE2 has none.
  CHECK(problem(R"js({"properties":{"d":{"type":"string","pattern":"^(?=a)"}}})js") ==
        "config_schema.properties.d: \"pattern\" is not a valid regular expression (invalid perl operator: (?=)");
  CHECK(problem(R"js({"properties":{"d":{"type":"object","patternProperties":{"^(?!x)":{}}}}})js") ==
        "config_schema.properties.d.patternProperties: \"^(?!x)\" is not a valid regular expression "
        "(invalid perl operator: (?!)");
}

TEST_CASE("an unresolvable $ref is rejected") {
  auto result = problem(R"({"properties":{"d":{"$ref":"#/definitions/missing"}}})");
  CHECK(result.rfind("config_schema: ", 0) == 0);
  CHECK(result != "OK");
}
