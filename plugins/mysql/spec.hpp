// The MySQL / MariaDB connector's config schema. The host validates configs
// against it and renders it with `sluice spec mysql --format markdown`
// (docs/connectors/mysql.md holds that table verbatim).
#pragma once

namespace mysql_source {

// https://mariadb.com/kb/en/mysql_optionsv/ (TLS options of the client library)
inline constexpr const char* kSpecJson = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "MySQL / MariaDB",
  "type": "object",
  "additionalProperties": false,
  "required": ["host", "database", "user"],
  "properties": {
    "host": {"type": "string", "order": 0, "minLength": 1,
             "title": "Host", "description": "Server host name or address."},
    "port": {"type": "integer", "order": 1, "minimum": 1, "maximum": 65535, "default": 3306,
             "title": "Port", "description": "Server port."},
    "database": {"type": "string", "order": 2, "minLength": 1,
                 "title": "Database", "description": "The database (schema) to read; it is the streams' namespace."},
    "user": {"type": "string", "order": 3, "minLength": 1,
             "title": "User", "description": "The account Sluice logs in as (SELECT suffices, see the doc)."},
    "password": {"type": "string", "order": 4, "secret": true, "default": "",
                 "title": "Password", "description": "The account's password."},
    "ssl_mode": {"type": "string", "order": 5, "enum": ["", "disabled", "required", "verify_identity"], "default": "",
                 "title": "TLS mode", "description": "disabled, required (encrypted, certificate not checked) or verify_identity (certificate chains to ca_file and names the host); empty: verify_identity, or disabled for a loopback host (127.0.0.1, ::1, localhost)."},
    "ca_file": {"type": "string", "order": 6, "default": "",
                "title": "CA file", "description": "PEM file of the certificate authorities that sign the server's certificate (verify_identity)."},
    "include": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 7,
                "title": "Include tables", "description": "Patterns on DATABASE.TABLE ('*' any run, '?' one character) of the tables and views to read; empty: all."},
    "exclude": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 8,
                "title": "Exclude tables", "description": "Patterns on DATABASE.TABLE of tables and views never read (wins over include)."},
    "chunk_rows": {"type": "integer", "minimum": 1, "maximum": 100000000, "default": 200000, "order": 9,
                   "title": "Rows per range", "description": "A full refresh splits a table with a single integer primary key into ranges of about this many rows; an incremental read checkpoints after every this many rows."},
    "parallelism": {"type": "integer", "minimum": 1, "maximum": 16, "default": 1, "order": 10,
                    "title": "Parallel connections", "description": "Connections reading the ranges of one table at once. Above 1 their snapshots are aligned under a FLUSH TABLES ... WITH READ LOCK held for milliseconds (needs RELOAD; see the doc)."},
    "statement_timeout_seconds": {"type": "integer", "minimum": 0, "maximum": 604800, "default": 0, "order": 11,
                                  "title": "Statement timeout (seconds)", "description": "max_statement_time (MariaDB) or max_execution_time (MySQL) of Sluice's sessions; 0: none."}
  }
}})JSON";

}  // namespace mysql_source
