// Validating a config against its plugin's schema: one line per problem,
// naming the JSON path, never echoing secrets; and defaults.
#include "host/config/schema_validator.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;
using Lines = std::vector<std::string>;

namespace {

const json::object kSchema = json::parse(R"({
  "type": "object",
  "required": ["domain", "credentials"],
  "additionalProperties": false,
  "properties": {
    "domain": {"type": "string", "pattern": "^[a-z0-9.-]+$", "title": "Domain"},
    "events": {"type": "integer", "minimum": 1, "default": 1000},
    "page_size": {"type": "integer", "maximum": 100, "default": 50},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "region": {"type": "string", "enum": ["us", "eu"], "default": "us"},
    "pin": {"type": "integer", "maximum": 9999, "secret": true},
    "api_key": {"type": "string", "minLength": 8, "secret": true},
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2, "uniqueItems": true},
    "hosts": {"type": "array", "items": {"type": "object", "required": ["name"],
              "properties": {"name": {"type": "string"}, "port": {"type": "integer", "default": 443}}}},
    "options": {"type": "object", "properties": {"retries": {"type": "integer", "default": 3},
                                                "verbose": {"type": "boolean"}}},
    "start": {"type": ["string", "null"], "format": "date-time"},
    "credentials": {
      "oneOf": [
        {"title": "client credentials", "type": "object", "additionalProperties": false,
         "required": ["auth_type", "client_id", "client_secret"],
         "properties": {"auth_type": {"const": "client_credentials"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string", "secret": true},
                        "audience": {"type": "string", "default": "default-audience"}}},
        {"title": "management API token", "type": "object", "additionalProperties": false,
         "required": ["auth_type", "token"],
         "properties": {"auth_type": {"const": "token"}, "token": {"type": "string", "secret": true}}}
      ]
    }
  }
})").as_object();

const std::string kValidCredentials = R"("credentials":{"auth_type":"token","token":"t0k3n"})";

Lines validate(const std::string& config) { return validate_config(kSchema, json::parse(config), "source.config"); }

}  // namespace

TEST_CASE("a valid config has no errors") {
  CHECK(validate(R"({"domain":"acme.eu.auth0.com","events":5,"start":null,)" + kValidCredentials + "}").empty());
  CHECK(validate(R"({"domain":"a","events":5,"ratio":0.5,"tags":["a","b"],)" + kValidCredentials + "}").empty());
}

TEST_CASE("missing required properties are named by path") {
  CHECK(validate("{}") ==
        Lines{"source.config.domain: required property missing", "source.config.credentials: required property missing"});
}

TEST_CASE("type mismatches say what was expected and what was found, never the value") {
  CHECK(validate(R"({"domain":"a","events":"many","start":5,)" + kValidCredentials + "}") ==
        Lines{"source.config.events: expected integer, got string",
              "source.config.start: expected string or null, got integer"});
  CHECK(validate(R"({"domain":"a","events":1.5,)" + kValidCredentials + "}") ==
        Lines{"source.config.events: expected integer, got number"});
  // Strong types: a plugin reading an integer field never receives a double.
  CHECK(validate(R"({"domain":"a","events":5.0,)" + kValidCredentials + "}") ==
        Lines{"source.config.events: expected integer, got number"});
  CHECK(validate(R"({"domain":"a","start":"yesterday",)" + kValidCredentials + "}") ==
        Lines{"source.config.start: must be a date-time"});
  CHECK(validate_config(kSchema, json::parse("[]"), "source.config") ==
        Lines{"source.config: expected object, got array"});
}

TEST_CASE("numeric bounds give the bound and the value, except for secrets") {
  CHECK(validate(R"({"domain":"a","events":0,"page_size":500,"ratio":1,"pin":12345,)" + kValidCredentials + "}") ==
        Lines{"source.config.events: must be at least 1 (got 0)", "source.config.page_size: must be at most 100 (got 500)",
              "source.config.ratio: must be less than 1 (got 1)", "source.config.pin: must be at most 9999"});
  CHECK(validate(R"({"domain":"a","ratio":-0.25,)" + kValidCredentials + "}") ==
        Lines{"source.config.ratio: must be greater than 0 (got -0.25)"});
}

TEST_CASE("patterns, lengths and enums") {
  CHECK(validate(R"({"domain":"ACME!","region":"asia","api_key":"short",)" + kValidCredentials + "}") ==
        Lines{"source.config.domain: does not match pattern ^[a-z0-9.-]+$",
              "source.config.region: must be one of \"us\", \"eu\" (got \"asia\")",
              "source.config.api_key: must have at least 8 characters"});
}

TEST_CASE("unknown properties are named when additionalProperties is false") {
  CHECK(validate(R"({"domain":"a","color":"red",)" + kValidCredentials + "}") ==
        Lines{"source.config.color: unknown property"});
}

TEST_CASE("nested objects and arrays report paths with indices") {
  CHECK(validate(R"({"domain":"a","options":{"retries":"x"},"hosts":[{"name":"h"},{"port":1}],)"
                 R"("tags":["a","long","a"],)" +
                 kValidCredentials + "}") ==
        Lines{"source.config.tags: must have at most 2 items", "source.config.tags: must not contain duplicate items",
              "source.config.tags[1]: must have at most 3 characters",
              "source.config.hosts[1].name: required property missing",
              "source.config.options.retries: expected integer, got string"});
}

TEST_CASE("a oneOf failure names the choices and the closest branch's problems") {
  // auth_type picks "client credentials"; its secret is missing.
  CHECK(validate(R"({"domain":"a","credentials":{"auth_type":"client_credentials","client_id":"c"}})") ==
        Lines{"source.config.credentials: must match exactly one of: client credentials, management API token",
              "source.config.credentials.client_secret: required property missing"});
  // Nothing to tell the branches apart: the summary alone.
  CHECK(validate(R"({"domain":"a","credentials":"secret-text"})") ==
        Lines{"source.config.credentials: must match exactly one of: client credentials, management API token"});
}

TEST_CASE("validation messages never contain string values of the config") {
  auto lines = validate(R"({"domain":"SECRET!VALUE","api_key":"tiny","credentials":{"auth_type":"token","token":5}})");
  REQUIRE_FALSE(lines.empty());
  for (const auto& line : lines) {
    CHECK(line.find("SECRET!VALUE") == std::string::npos);
    CHECK(line.find("tiny") == std::string::npos);
  }
}

TEST_CASE("keywords the explainer does not cover fall back to valijson's words") {
  auto schema = json::parse(R"({"type":"object","properties":{"a":{"type":"object",
      "dependencies":{"x":["y"]}}}})").as_object();
  CHECK(validate_config(schema, json::parse(R"({"a":{"x":1}})"), "source.config") ==
        Lines{"source.config.a: Missing dependency 'y'.",
              "source.config: Failed to validate against schema associated with property name 'a'."});
}

TEST_CASE("defaults fill absent properties at the top level, in nested objects, arrays and the chosen branch") {
  auto config = json::parse(R"({"domain":"a","page_size":10,"options":{},"hosts":[{"name":"h"},{"name":"i","port":1}],)"
                            R"("credentials":{"auth_type":"client_credentials","client_id":"c","client_secret":"s"}})")
                    .as_object();
  CHECK(json::serialize(apply_defaults(kSchema, config)) ==
        R"({"domain":"a","page_size":10,"options":{"retries":3},"hosts":[{"name":"h","port":443},{"name":"i","port":1}],)"
        R"("credentials":{"auth_type":"client_credentials","client_id":"c","client_secret":"s",)"
        R"("audience":"default-audience"},"events":1000,"region":"us"})");
}

TEST_CASE("defaults do not create absent objects") {
  auto out = apply_defaults(kSchema, json::parse(R"({"domain":"a"})").as_object());
  CHECK(json::serialize(out) == R"({"domain":"a","events":1000,"page_size":50,"region":"us"})");
}

// Issue 20: std::regex recursed once per character, so a value of ~30,000
// characters in a field with a "pattern" or a date/time "format" overflowed
// the stack (SIGSEGV). These run on RE2 now.
TEST_CASE("a 30,000-character value is checked against its pattern and its format without crashing") {
  const std::string letters(30000, 'a');
  CHECK(validate(R"({"domain":")" + letters + R"(",)" + kValidCredentials + "}").empty());
  CHECK(validate(R"({"domain":")" + letters + R"(!",)" + kValidCredentials + "}") ==
        Lines{"source.config.domain: does not match pattern ^[a-z0-9.-]+$"});
  // valijson's date rule allows any number of year digits; the month is checked.
  const std::string year(30000, '1');
  CHECK(validate(R"({"domain":"a","start":")" + year + R"(-01-31T00:00:00Z",)" + kValidCredentials + "}").empty());
  CHECK(validate(R"({"domain":"a","start":")" + year + R"(-13-01T00:00:00Z",)" + kValidCredentials + "}") ==
        Lines{"source.config.start: must be a date-time"});
  CHECK(validate(R"({"domain":"a","start":"2024-01-01T00:00:00.)" + std::string(30000, '5') + R"(Z",)" +
                 kValidCredentials + "}")
            .empty());
}

TEST_CASE("date, time and date-time formats keep valijson's rules, and apply to strings only") {
  auto schema = json::parse(R"({"type":"object","properties":{"d":{"type":["string","integer"],"format":"date"},
      "t":{"format":"time"},"dt":{"format":"date-time"},"e":{"format":"email"}}})").as_object();
  auto check = [&](const std::string& config) { return validate_config(schema, json::parse(config), "c"); };
  CHECK(check(R"({"d":"2024-02-29","t":"23:59:60.5+02:00","dt":"2024-04-30t10:00:00z","e":"not an email"})").empty());
  CHECK(check(R"({"d":5,"t":null,"dt":true})").empty());
  CHECK(check(R"({"d":"2024-04-31","t":"24:00:00Z","dt":"2024-02-30T00:00:00Z"})") ==
        Lines{"c.d: must be a date", "c.t: must be a time", "c.dt: must be a date-time"});
}

TEST_CASE("patternProperties apply to every key they match, with properties, and additionalProperties to the rest") {
  auto schema = json::parse(R"({"type":"object","additionalProperties":false,
      "definitions":{"x-sluice-pattern-properties-0":{"type":"string"}},
      "properties":{"name":{"$ref":"#/definitions/x-sluice-pattern-properties-0"},"x_both":{"maxLength":2}},
      "patternProperties":{"^x_":{"type":"integer"},"_n$":{"minimum":10},
        "^nested$":{"type":"object","additionalProperties":false,
                    "patternProperties":{"^k":{"type":"string","pattern":"^[a-z]+$"}}}}})").as_object();
  auto check = [&](const std::string& config) { return validate_config(schema, json::parse(config), "c"); };
  CHECK(check(R"({"name":"a","x_1":5,"x_2_n":12,"nested":{"k1":"abc"}})").empty());
  CHECK(check(R"({"name":1})") == Lines{"c.name: expected string, got integer"});
  CHECK(check(R"({"x_1":"five"})") == Lines{"c.x_1: expected integer, got string"});
  CHECK(check(R"({"x_2_n":12.5})") == Lines{"c.x_2_n: expected integer, got number"});
  CHECK(check(R"({"x_2_n":3})") == Lines{"c.x_2_n: must be at least 10 (got 3)"});
  CHECK(check(R"({"x_both":"abc"})") ==
        Lines{"c.x_both: must have at most 2 characters", "c.x_both: expected integer, got string"});
  CHECK(check(R"({"x_both":123})").empty());
  CHECK(check(R"({"other":1,"nested":{"k1":"ABC","z":1}})") ==
        Lines{"c.nested.k1: does not match pattern ^[a-z]+$", "c.nested.z: unknown property", "c.other: unknown property"});

  const std::string long_key(30000, 'q');
  CHECK(check(R"({"x_)" + long_key + R"(":5})").empty());
  auto lines = check(R"({")" + long_key + R"(_n":5})");
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::EndsWith("_n: must be at least 10 (got 5)"));
}
