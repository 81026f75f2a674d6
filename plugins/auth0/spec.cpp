#include "spec.hpp"

#include <sluice/support/endpoint.hpp>

#include <boost/json.hpp>

namespace auth0 {

namespace json = boost::json;

namespace {

// https://auth0.com/docs/get-started/auth0-overview/create-applications/machine-to-machine-apps
const char* kConfigSchema = R"JSON({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Auth0",
  "type": "object",
  "required": ["domain", "credentials"],
  "additionalProperties": false,
  "properties": {
    "domain": {
      "type": "string", "title": "Tenant domain", "order": 0,
      "pattern": "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
      "description": "Your tenant's canonical domain, e.g. acme.us.auth0.com (Dashboard > Settings > Domain), without https://. Not a custom domain: the Management API answers on the canonical one.",
      "examples": ["acme.us.auth0.com"]
    },
    "credentials": {
      "title": "Credentials", "order": 1,
      "description": "How Sluice gets a Management API token.",
      "oneOf": [
        {
          "title": "Client credentials", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "client_id", "client_secret"],
          "properties": {
            "auth_type": {"const": "client_credentials", "title": "Type", "order": 0},
            "client_id": {"type": "string", "title": "Client ID", "order": 1, "description": "Client ID of a machine-to-machine application authorized for the Auth0 Management API."},
            "client_secret": {"type": "string", "title": "Client secret", "order": 2, "secret": true, "description": "That application's client secret."},
            "audience": {"type": "string", "title": "Audience", "order": 3, "description": "Management API identifier; defaults to https://{domain}/api/v2/."}
          }
        },
        {
          "title": "Management API token", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "token"],
          "properties": {
            "auth_type": {"const": "api_token", "title": "Type", "order": 0},
            "token": {"type": "string", "title": "Token", "order": 1, "secret": true, "description": "A ready Management API access token (it expires; client credentials renew themselves)."}
          }
        }
      ]
    },
    "start_date": {
      "type": "string", "format": "date-time", "title": "Start date", "order": 2,
      "default": "2000-01-01T00:00:00Z",
      "description": "Users updated before this instant are not read by the first incremental sync."
    },
    "page_size": {
      "type": "integer", "title": "Page size", "order": 3, "minimum": 1, "maximum": 100, "default": 100,
      "description": "Records per request (Auth0 allows at most 100)."
    },
    "concurrency": {
      "type": "integer", "title": "Concurrent requests", "order": 4, "minimum": 1, "maximum": 16, "default": 16,
      "description": "Requests in flight at once to the tenant: users windows and their pages are read in parallel, log pages one ahead. Shared by every connection to the same tenant in the process. Paced by your plan's Management API rate limit as Auth0 reports it on every answer: once a tenth of the bucket is left, new requests wait for its reset (that tenth stays for your other clients); a 429 halves the concurrency, grown back one at a time after successes."
    }
  }
})JSON";

}  // namespace

std::string spec_json() {
  json::object schema = json::parse(kConfigSchema).as_object();
  auto& properties = schema["properties"].as_object();
  for (auto& field : sluice::support::endpoint_schema_properties(false, 10)) {
    properties[field.key()] = field.value();
  }
  properties["base_url"].as_object()["description"] =
      "Call this tenant root instead of https://{domain} (a proxy or a test server); the Management API is at "
      "{base_url}/api/v2 and the token endpoint at {base_url}/oauth/token. https:// required; plain http:// only "
      "for loopback hosts.";
  return json::serialize(json::object{{"config_schema", schema}});
}

}  // namespace auth0
