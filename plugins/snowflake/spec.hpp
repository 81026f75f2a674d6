// The Snowflake connector's config schema. The host validates configs against
// it and renders it with `sluice spec snowflake --format markdown`
// (docs/connectors/snowflake.md holds that table verbatim). base_url and
// ca_file come from the SDK's shared endpoint rule.
#pragma once

namespace snowflake {

// The full spec JSON: kSpecBase plus the SDK's endpoint properties.
const char* spec_json();

// https://docs.snowflake.com/en/user-guide/admin-account-identifier
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating
inline constexpr const char* kSpecBase = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Snowflake",
  "type": "object",
  "additionalProperties": false,
  "required": ["account", "user", "database", "credentials"],
  "properties": {
    "account": {"type": "string", "order": 0, "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*$",
                "title": "Account identifier", "description": "ORGNAME-ACCOUNTNAME (preferred), or a legacy locator with its region and cloud (xy12345.eu-west-1, xy12345.us-east-2.aws). The API host is ACCOUNT.snowflakecomputing.com.",
                "examples": ["myorg-myaccount"]},
    "user": {"type": "string", "order": 1, "minLength": 1,
             "title": "User", "description": "The login name of the user Sluice connects as (a service user with the key pair set, see the doc)."},
    "credentials": {
      "title": "Authentication", "order": 2,
      "description": "A key pair (recommended: Sluice signs its own JWTs) or an OAuth access token.",
      "oneOf": [
        {
          "title": "Key pair", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "private_key"],
          "properties": {
            "auth_type": {"const": "key_pair", "title": "Type", "order": 0},
            "private_key": {"type": "string", "title": "Private key", "order": 1, "secret": true, "minLength": 1,
                            "description": "The user's RSA private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----), as text or {\"$file\": \"rsa_key.p8\"}."},
            "passphrase": {"type": "string", "title": "Passphrase", "order": 2, "secret": true,
                           "description": "The passphrase of an encrypted private key."}
          }
        },
        {
          "title": "OAuth access token", "type": "object", "additionalProperties": false,
          "required": ["auth_type", "token"],
          "properties": {
            "auth_type": {"const": "oauth", "title": "Type", "order": 0},
            "token": {"type": "string", "title": "Access token", "order": 1, "secret": true, "minLength": 1,
                      "description": "A Snowflake or external OAuth access token for the user (it expires; a key pair does not)."}
          }
        }
      ]
    },
    "role": {"type": "string", "default": "", "order": 3,
             "title": "Role", "description": "The role statements run as (case-sensitive, as Snowflake stores it); empty: the user's default role."},
    "warehouse": {"type": "string", "default": "", "order": 4,
                  "title": "Warehouse", "description": "The warehouse that runs the queries (case-sensitive); empty: the user's default warehouse."},
    "database": {"type": "string", "order": 5, "minLength": 1,
                 "title": "Database", "description": "The database to read (case-sensitive: MY_DB for an unquoted my_db)."},
    "schemas": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 6,
                "title": "Schemas", "description": "Schemas of the database to discover (case-sensitive); empty: every schema but INFORMATION_SCHEMA."},
    "statement_timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 604800, "default": 3600, "order": 7,
                                  "title": "Statement timeout (seconds)", "description": "Snowflake cancels a statement that runs longer (the request's timeout); Sluice stops waiting for it then too."},
    "query_tag": {"type": "string", "default": "sluice", "order": 8,
                  "title": "Query tag", "description": "QUERY_TAG of every statement, to find Sluice's queries in QUERY_HISTORY."},
    "concurrency": {"type": "integer", "minimum": 1, "maximum": 16, "default": 4, "order": 9,
                    "title": "Concurrent partition fetches", "description": "Result partitions fetched at once per stream (halved while Snowflake answers 429)."}
  }
}})JSON";

}  // namespace snowflake
