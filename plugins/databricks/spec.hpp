// The Databricks connector's config schema, in the words of a SQL warehouse's
// Connection Details tab (server hostname, port, HTTP path). The host
// validates configs against it and renders it with `sluice spec databricks
// --format markdown` (docs/connectors/databricks.md holds that table
// verbatim). base_url and ca_file come from the SDK's shared endpoint rule.
#pragma once

namespace databricks {

// The full spec JSON: kSpecBase plus the SDK's endpoint properties.
const char* spec_json();

// https://docs.databricks.com/aws/en/integrations/compute-details
// https://docs.databricks.com/aws/en/dev-tools/auth/pat
// https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
// https://docs.databricks.com/api/workspace/statementexecution/executestatement
inline constexpr const char* kSpecBase = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Databricks",
  "type": "object",
  "additionalProperties": false,
  "required": ["server_hostname", "http_path", "credentials"],
  "properties": {
    "server_hostname": {"type": "string", "order": 0, "pattern": "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$",
                        "title": "Server hostname", "description": "The workspace host from the SQL warehouse's Connection Details (dbc-a1b2c3d4-e5f6.cloud.databricks.com, adb-1234567890123456.7.azuredatabricks.net), without https://.",
                        "examples": ["dbc-a1b2c3d4-e5f6.cloud.databricks.com"]},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 443, "order": 1,
             "title": "Port", "description": "The port from Connection Details."},
    "http_path": {"type": "string", "order": 2, "minLength": 1,
                  "title": "HTTP path", "description": "The SQL warehouse's HTTP path from Connection Details, /sql/1.0/warehouses/<warehouse id>. The Statement Execution API runs on SQL warehouses only: a cluster's path is refused.",
                  "examples": ["/sql/1.0/warehouses/1234567890abcdef"]},
    "credentials": {
      "title": "Authentication", "order": 3,
      "description": "A personal access token, or a service principal's OAuth secret (machine-to-machine, recommended for production).",
      "oneOf": [
        {
          "title": "Personal access token", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "token"],
          "properties": {
            "auth_type": {"const": "personal_access_token", "title": "Type", "order": 0},
            "token": {"type": "string", "title": "Token", "order": 1, "secret": true, "minLength": 1,
                      "description": "A personal access token (dapi...) of the user or service principal Sluice reads as."}
          }
        },
        {
          "title": "OAuth machine-to-machine", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "client_id", "client_secret"],
          "properties": {
            "auth_type": {"const": "oauth_m2m", "title": "Type", "order": 0},
            "client_id": {"type": "string", "title": "Client ID", "order": 1, "minLength": 1,
                          "description": "The service principal's application (client) ID."},
            "client_secret": {"type": "string", "title": "Client secret", "order": 2, "secret": true, "minLength": 1,
                              "description": "An OAuth secret of the service principal; Sluice gets hour-long tokens for it from the workspace's /oidc/v1/token."}
          }
        }
      ]
    },
    "catalog": {"type": "string", "order": 4,
                "title": "Catalog", "description": "The Unity Catalog catalog to read (required: discovery lists tables through Unity Catalog). Its schemas are the namespaces CATALOG.SCHEMA.",
                "examples": ["main"]},
    "schemas": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 5,
                "title": "Schemas", "description": "Schemas of the catalog to discover; empty: every schema but information_schema."},
    "wait_timeout_seconds": {"type": "integer", "minimum": 5, "maximum": 50, "default": 30, "order": 6,
                             "title": "Statement wait timeout (seconds)", "description": "How long one request waits for a statement before Sluice polls it instead (the API's wait_timeout, 5 to 50 s); the statement keeps running (on_wait_timeout CONTINUE)."},
    "statement_timeout_seconds": {"type": "integer", "minimum": 10, "maximum": 172800, "default": 3600, "order": 7,
                                  "title": "Statement timeout (seconds)", "description": "Sluice cancels a statement still running after this long."},
    "concurrency": {"type": "integer", "minimum": 1, "maximum": 16, "default": 4, "order": 8,
                    "title": "Concurrent chunk downloads", "description": "Result chunks downloaded at once per stream (halved while Databricks answers 429)."}
  }
}})JSON";

}  // namespace databricks
