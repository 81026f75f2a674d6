// The Markdown table of config fields for docs.
#include "host/config/spec_markdown.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

TEST_CASE("the config table follows order, flattens nesting and lists oneOf branches") {
  auto schema = json::parse(R"({
    "type": "object",
    "required": ["domain", "credentials"],
    "properties": {
      "start": {"type": ["string", "null"], "format": "date-time", "title": "Start date"},
      "domain": {"type": "string", "title": "Domain", "description": "Your tenant, e.g. acme|eu.\nNo scheme.",
                 "order": 0},
      "region": {"type": "string", "enum": ["us", "eu"], "default": "us", "order": 2},
      "credentials": {"title": "Credentials", "order": 1, "oneOf": [
        {"title": "Client credentials", "type": "object", "required": ["auth_type", "client_id", "client_secret"],
         "properties": {"auth_type": {"const": "client_credentials", "order": 0},
                        "client_id": {"type": "string", "title": "Client ID", "order": 1},
                        "client_secret": {"type": "string", "title": "Client secret", "secret": true, "order": 2}}},
        {"title": "Management API token", "type": "object", "required": ["token"],
         "properties": {"token": {"type": "string", "secret": true, "title": "Token"}}}]},
      "options": {"type": "object", "title": "Options",
                  "properties": {"retries": {"type": "integer", "default": 3, "minimum": 0}}},
      "tags": {"type": "array", "items": {"type": "string"}}
    }})").as_object();
  CHECK(render_config_table_markdown(schema) ==
        "| Field | Type | Required | Default | Secret | Description |\n"
        "|---|---|---|---|---|---|\n"
        "| `domain` | string | yes |  | no | Domain. Your tenant, e.g. acme\\|eu.<br>No scheme. |\n"
        "| `credentials` | one of Client credentials, Management API token | yes |  | no | Credentials |\n"
        "| `credentials.auth_type` | always client_credentials | yes |  | no | (when credentials is Client credentials) |\n"
        "| `credentials.client_id` | string | yes |  | no | (when credentials is Client credentials) Client ID |\n"
        "| `credentials.client_secret` | string | yes |  | yes | (when credentials is Client credentials) Client secret |\n"
        "| `credentials.token` | string | yes |  | yes | (when credentials is Management API token) Token |\n"
        "| `region` | string: one of us, eu | no | `\"us\"` | no |  |\n"
        "| `options` | object | no |  | no | Options |\n"
        "| `options.retries` | integer | no | `3` | no |  |\n"
        "| `start` | string or null (date-time) | no |  | no | Start date |\n"
        "| `tags` | array of string | no |  | no |  |\n");
}

TEST_CASE("a schema without properties renders a sentence") {
  CHECK(render_config_table_markdown(json::parse(R"({"type":"object"})").as_object()) ==
        "This connector takes no configuration.\n");
}
