// The PostgreSQL connector's config schema. The host validates configs
// against it and renders it with `sluice spec postgres --format markdown`
// (docs/connectors/postgres.md holds that table verbatim).
#pragma once

namespace postgres {

// https://www.postgresql.org/docs/current/libpq-connect.html (parameter keywords, sslmode)
inline constexpr const char* kSpecJson = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "PostgreSQL",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "host": {"type": "string", "order": 0, "minLength": 1,
             "title": "Host", "description": "Server host name or address (give host, database and user, or url)."},
    "port": {"type": "integer", "order": 1, "minimum": 1, "maximum": 65535, "default": 5432,
             "title": "Port", "description": "Server port."},
    "database": {"type": "string", "order": 2, "minLength": 1,
                 "title": "Database", "description": "The database to read."},
    "user": {"type": "string", "order": 3, "minLength": 1,
             "title": "User", "description": "The role Sluice logs in as (read-only grants suffice, see the doc)."},
    "password": {"type": "string", "order": 4, "secret": true,
                 "title": "Password", "description": "The role's password."},
    "url": {"type": "string", "order": 5, "secret": true, "pattern": "^postgres(ql)?://",
            "title": "Connection URL", "description": "A libpq URL, postgresql://USER@HOST:PORT/DATABASE?sslmode=... (a password in it is masked like the field's): every libpq parameter, instead of the fields above (which then must be absent)."},
    "sslmode": {"type": "string", "order": 6, "enum": ["", "disable", "prefer", "require", "verify-ca", "verify-full"], "default": "",
                "title": "TLS mode", "description": "libpq's sslmode; empty: verify-full, or prefer for a loopback host (127.0.0.1, ::1, localhost)."},
    "ca_file": {"type": "string", "order": 7, "default": "",
                "title": "CA file", "description": "PEM file of the certificate authorities that sign the server's certificate (sslrootcert); empty: libpq's default, ~/.postgresql/root.crt (verify-ca and verify-full need one of them)."},
    "schemas": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 8,
                "title": "Schemas", "description": "Schemas to discover (case-sensitive, as stored); empty: every schema but the system ones."},
    "include": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 9,
                "title": "Include tables", "description": "Patterns on SCHEMA.TABLE ('*' any run, '?' one character) of the tables and views to read; empty: all."},
    "exclude": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 10,
                "title": "Exclude tables", "description": "Patterns on SCHEMA.TABLE of tables and views never read (wins over include)."},
    "chunk_rows": {"type": "integer", "minimum": 1, "maximum": 100000000, "default": 200000, "order": 11,
                   "title": "Rows per range", "description": "A full refresh splits a table into ranges of about this many rows (by its single integer key, resumable at the range; else by block); an incremental read checkpoints after every this many rows."},
    "parallelism": {"type": "integer", "minimum": 1, "maximum": 16, "default": 4, "order": 12,
                    "title": "Parallel connections", "description": "Connections reading the ranges of one table at once, all in one exported snapshot."},
    "statement_timeout_seconds": {"type": "integer", "minimum": 0, "maximum": 604800, "default": 0, "order": 13,
                                  "title": "Statement timeout (seconds)", "description": "statement_timeout of Sluice's sessions; 0: none (a range's read is one statement)."},
    "xmin_tables": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [], "order": 14,
                    "title": "Tables read incrementally by xmin", "description": "Patterns on SCHEMA.TABLE of tables with no usable cursor column: they get an xmin field (the row's 64-bit transaction id), their default cursor. Sees inserts and updates, never deletes; each read scans the whole table (see the doc)."}
  }
}})JSON";

}  // namespace postgres
