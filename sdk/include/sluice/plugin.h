/* sluice/plugin.h -- the one C header shared by the Sluice host and its
 * connector plugins. This file IS the plugin ABI: read it top to bottom once.
 *
 * Conventions (they hold for every declaration below):
 *  - C only: fixed-width integers, plain structs, function pointers. No C++
 *    type and no exception ever crosses this boundary, in either direction.
 *  - Strings are UTF-8. `sluice_str` is a borrowed (pointer, length) slice; it
 *    is valid only for the duration of the call it is passed to and is NOT
 *    NUL-terminated unless stated. Copy it if you need it later.
 *  - Whoever allocates a thing frees it. Outputs (`sluice_buffer`,
 *    `sluice_error`) carry a `release` callback installed by their producer;
 *    the receiver calls it exactly once, and never frees the memory itself.
 *  - Every table starts with `struct_size`. ABI minor versions only ever
 *    APPEND fields; a reader checks `SLUICE_HAS_FIELD` before touching a field
 *    newer than 1.0. A new major version renames the entry symbol, so an
 *    incompatible plugin is told apart before any of its code runs.
 *  - All JSON documents exchanged (spec, catalog, configured catalog, state,
 *    records) are described in docs/plugin-abi.md.
 *
 * Threads:
 *  - The host serialises calls into one plugin: spec, check, discover and read
 *    (and, from 1.1, every session call) are never called concurrently for
 *    the same loaded plugin, unless the plugin sets concurrent_sessions
 *    (ABI 1.2): then distinct sessions may be called at the same time from
 *    different threads (one call at a time per session), so the host can
 *    read several streams at once (sync --parallel).
 *  - Inside read(), host callbacks emit_records, emit_record_batch and
 *    emit_state may be called only from the thread that entered read(), and
 *    only before read() returns.
 *    log, progress and is_cancelled may be called from any thread while the
 *    call that received the host table is running.
 *  - A plugin must not keep threads running after the call returns.
 *
 * Sessions (ABI 1.1): a plugin may offer open/close and session variants of
 * check, discover and read. The host then opens ONE session per command,
 * with the config and the host table given once, and makes every call of
 * that command (check, discover, one read per stream) on it, so a connector
 * keeps its token, HTTP connections and metadata between streams. A plugin
 * without them (ABI 1.0) is driven through the per-call functions, which
 * every plugin keeps providing.
 *
 * Lifetime: the host never unloads a plugin library while the process runs,
 * so static data (the plugin table, its info block) may be returned by
 * pointer and is never freed.
 */
#ifndef SLUICE_PLUGIN_H_
#define SLUICE_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SLUICE_EXPORT __declspec(dllexport)
#else
#define SLUICE_EXPORT __attribute__((visibility("default")))
#endif

/* Bump the major for any incompatible change (it also renames the entry
 * symbol); bump the minor when fields are appended to a table. */
#define SLUICE_ABI_MAJOR 1
#define SLUICE_ABI_MINOR 4
#define SLUICE_ENTRY_SYMBOL "sluice_plugin_entry_v1"
#define SLUICE_PLUGIN_MAGIC 0x31434C53u /* "SLC1" read little-endian */

/* True when table `t` (whose struct_size its producer set) is recent enough to
 * contain `field`. Use before reading any field added after ABI 1.0. */
#define SLUICE_HAS_FIELD(type, t, field) \
  ((t)->struct_size >= offsetof(type, field) + sizeof((t)->field))

/* ---- Status and errors --------------------------------------------------- */

typedef int32_t sluice_status;
enum {
  SLUICE_OK = 0,
  SLUICE_ERROR = 1,         /* see the sluice_error filled by the callee */
  SLUICE_INCOMPATIBLE = 2,  /* entry: this plugin cannot run on that host */
  SLUICE_CANCELLED = 3      /* the run was cancelled; stop and return */
};

/* What went wrong, so the host can decide what to tell the operator and
 * whether a retry can help. */
typedef int32_t sluice_error_kind;
enum {
  SLUICE_ERROR_KIND_UNKNOWN = 0,
  SLUICE_ERROR_KIND_CONFIG = 1,       /* the configuration is wrong: fix it */
  SLUICE_ERROR_KIND_AUTH = 2,         /* credentials rejected or missing scope */
  SLUICE_ERROR_KIND_TRANSIENT = 3,    /* network / 5xx: a later retry may work */
  SLUICE_ERROR_KIND_RATE_LIMITED = 4, /* quota / 429 exhausted the retry budget */
  SLUICE_ERROR_KIND_SOURCE = 5,       /* the source answered something unusable */
  SLUICE_ERROR_KIND_INTERNAL = 6      /* a bug (e.g. an exception escaped) */
};

/* Error out-parameter.
 * OWNERSHIP: the CALLER allocates it (usually on its stack), zeroes it and
 * sets struct_size = sizeof(sluice_error). A callee returning SLUICE_ERROR
 * fills kind and message and installs release; the caller then reads it and
 * calls release(err) exactly once (if non-NULL). message is NUL-terminated and
 * owned by the callee until release. */
typedef struct sluice_error {
  uint32_t struct_size;
  sluice_error_kind kind;
  char* message;
  void (*release)(struct sluice_error* self);
  void* private_data;
} sluice_error;

/* ---- Strings and buffers ------------------------------------------------- */

/* Borrowed UTF-8 slice; valid only during the call it is passed to. */
typedef struct sluice_str {
  const char* data;
  size_t size;
} sluice_str;

/* Owned bytes handed to the caller.
 * OWNERSHIP: the caller zeroes it and passes its address; the callee sets
 * data/size/release on success; the caller calls release(buf) exactly once
 * after it is done reading. */
typedef struct sluice_buffer {
  const char* data;
  size_t size;
  void (*release)(struct sluice_buffer* self);
  void* private_data;
} sluice_buffer;

/* ---- Capabilities --------------------------------------------------------- */

/* Sync modes, as bits. A plugin declares the union of what its streams
 * support; each stream declares its own subset in the catalog. */
typedef uint32_t sluice_sync_modes;
enum {
  SLUICE_MODE_FULL_REFRESH_OVERWRITE = 1u << 0,
  SLUICE_MODE_FULL_REFRESH_APPEND = 1u << 1,
  SLUICE_MODE_INCREMENTAL_APPEND = 1u << 2,
  SLUICE_MODE_INCREMENTAL_APPEND_DEDUP = 1u << 3
};

/* Whether the plugin's streams carry a namespace of their own (a BigQuery
 * dataset, a Snowflake database.schema). */
typedef int32_t sluice_namespace_support;
enum {
  SLUICE_NAMESPACE_NONE = 0,          /* streams have no namespace */
  SLUICE_NAMESPACE_SOURCE_DEFINED = 1 /* each stream names its namespace */
};

enum {
  SLUICE_LOG_ERROR = 1,
  SLUICE_LOG_WARN = 2,
  SLUICE_LOG_INFO = 3,
  SLUICE_LOG_DEBUG = 4
};

/* Static identity of a plugin, checked by the host field by field before it
 * calls anything else. Immutable data inside the plugin, never freed. */
typedef struct sluice_plugin_info {
  uint32_t struct_size;   /* sizeof(sluice_plugin_info) in the plugin's SDK */
  uint32_t magic;         /* SLUICE_PLUGIN_MAGIC */
  uint16_t abi_major;     /* SDK the plugin was compiled against */
  uint16_t abi_minor;
  uint16_t min_host_minor; /* oldest host ABI minor the plugin can run on */
  uint16_t pointer_size;  /* sizeof(void*) of the plugin's build */
  const char* name;       /* unique plugin name, [a-z0-9_]+, NUL-terminated */
  const char* version;    /* the plugin's own version, e.g. "1.2.0" */
  const char* documentation_url;
  sluice_sync_modes sync_modes;
  sluice_namespace_support namespace_support;
  const char* build_note; /* compiler / platform, shown in error text only */
} sluice_plugin_info;

/* ---- Records as typed cells (ABI 1.4) -------------------------------------- */

/* A batch of records handed over as values, not text: no JSON is written by
 * the plugin or parsed by the host. It means exactly what the NDJSON batch
 * with one JSON object per record, {"<field 0>": <cell 0>, ...} in field
 * order, would mean: the host types, keeps and refuses each cell by the same
 * rules (docs/plugin-abi.md, "Records as typed cells"). */
typedef uint32_t sluice_cell_kind;
enum {
  SLUICE_CELL_NULL = 0,      /* JSON null */
  SLUICE_CELL_INT64 = 1,     /* value.integer: a JSON integer */
  SLUICE_CELL_DOUBLE = 2,    /* value.real, finite: a JSON number */
  SLUICE_CELL_BOOL = 3,      /* value.integer 0 or 1: false or true */
  SLUICE_CELL_STRING = 4,    /* text (UTF-8): a JSON string */
  SLUICE_CELL_TIMESTAMP = 5, /* value.integer, microseconds since 1970-01-01T00:00:00Z,
                                years 0001-9999: the string YYYY-MM-DDTHH:MM:SS.ffffffZ */
  SLUICE_CELL_JSON = 6       /* text: one JSON value (an object, an array...) */
};

/* One value. STRING and JSON cells are the `size` bytes at value.offset in
 * the batch's text; other kinds leave size 0. */
typedef struct sluice_cell {
  sluice_cell_kind kind;
  uint32_t size;
  union {
    int64_t integer;
    double real;
    uint64_t offset;
  } value;
} sluice_cell;

/* OWNERSHIP: the plugin's, borrowed by the host for the emit call only (the
 * host copies what it keeps). Every record has field_count cells, one per
 * field, in the order of `fields` (distinct names): cells holds
 * record_count * field_count of them, record after record. */
typedef struct sluice_record_batch {
  uint32_t struct_size;     /* sizeof(sluice_record_batch) in the plugin's SDK */
  uint32_t field_count;
  const sluice_str* fields; /* field_count names */
  uint64_t record_count;
  const sluice_cell* cells;
  sluice_str text;          /* the bytes STRING and JSON cells point into */
} sluice_record_batch;

/* ---- Host callbacks ------------------------------------------------------- */

/* Services the host offers to a running call. Owned by the host, valid until
 * the call that received it returns. `ctx` is opaque and must be passed back
 * unchanged. Every emit returns SLUICE_OK, SLUICE_CANCELLED (stop reading and
 * return SLUICE_CANCELLED) or SLUICE_ERROR with *err filled by the host (stop
 * reading and return an error; the host already knows the cause). */
typedef struct sluice_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void* ctx;

  /* A batch of records for one stream: newline-delimited JSON objects, one
   * record per line. `ns` is empty for streams without a namespace. Borrowed:
   * the host copies what it needs before returning. May block (back-pressure).
   * read() only, on the read() thread. */
  sluice_status (*emit_records)(void* ctx, sluice_str ns, sluice_str stream,
                                sluice_str ndjson, sluice_error* err);

  /* A state checkpoint for one stream: a JSON value, opaque to the host. It
   * covers every record emitted for that stream before it: the host commits
   * those records and this state together, atomically. read() only. */
  sluice_status (*emit_state)(void* ctx, sluice_str ns, sluice_str stream,
                              sluice_str state_json, sluice_error* err);

  /* A log line (no trailing newline needed). Never put secrets in it; the
   * host masks known secret values anyway. Any thread. */
  void (*log)(void* ctx, int32_t level, sluice_str message);

  /* Progress of one stream: records done so far and the expected total, or
   * -1 when unknown. Any thread. */
  void (*progress)(void* ctx, sluice_str ns, sluice_str stream, int64_t done,
                   int64_t total);

  /* Non-zero once the run is cancelled; long loops should poll it. Any
   * thread. */
  int32_t (*is_cancelled)(void* ctx);

  /* ---- ABI 1.3: the result of session_query, on its thread, only inside
   * it. Check SLUICE_HAS_FIELD: a host table from an older host lacks them
   * (and such a host never calls session_query); NULL in a session the host
   * did not open for queries. */

  /* The result's columns, once, before any row: a JSON array of
   * {"name": ..., "schema": the column's JSON Schema (the type mapping the
   * plugin's discover uses), "source_type": the source's own type name}. */
  sluice_status (*emit_columns)(void* ctx, sluice_str columns_json, sluice_error* err);

  /* Rows of the result: newline-delimited JSON arrays, one row per line,
   * values in column order, typed as the columns' schemas say. Borrowed;
   * may block (back-pressure). SLUICE_CANCELLED once the host has what it
   * wants (a row or byte limit reached, the user gone): cancel the
   * statement at the source and return SLUICE_CANCELLED. */
  sluice_status (*emit_rows)(void* ctx, sluice_str ndjson_rows, sluice_error* err);

  /* ---- ABI 1.4. Check SLUICE_HAS_FIELD (an older host lacks it): as
   * emit_records, with the records as typed cells. Records of both forms may be mixed in one read: the
   * host keeps them, and checkpoints, in emit order. read() only. */
  sluice_status (*emit_record_batch)(void* ctx, sluice_str ns, sluice_str stream,
                                     const sluice_record_batch* batch, sluice_error* err);
} sluice_host_api;

/* ---- Sessions (ABI 1.1) ---------------------------------------------------- */

/* One connector session: opaque to the host, owned by the plugin from open()
 * until close(). */
typedef struct sluice_session sluice_session;

/* ---- The plugin table ----------------------------------------------------- */

/* Static, immutable data inside the plugin, never freed. All JSON inputs are
 * borrowed and UTF-8. Each function returns SLUICE_OK or fills *err. */
typedef struct sluice_plugin_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const sluice_plugin_info* info;

  /* The connector specification: a JSON object with at least
   * {"config_schema": <JSON Schema draft 7>}. Written to *out (caller
   * releases). Must not depend on any configuration. */
  sluice_status (*spec)(sluice_buffer* out, sluice_error* err);

  /* Live validation: can the plugin reach the source with this (already
   * schema-validated, secrets resolved) configuration? */
  sluice_status (*check)(sluice_str config_json, const sluice_host_api* host,
                         sluice_error* err);

  /* The catalog of streams, as JSON, written to *out (caller releases). */
  sluice_status (*discover)(sluice_str config_json, const sluice_host_api* host,
                            sluice_buffer* out, sluice_error* err);

  /* Read the configured streams, emitting records and state through host.
   * state_json is {"streams":[{"namespace":..,"name":..,"state":..}]} with
   * the last committed checkpoint of each incremental stream. */
  sluice_status (*read)(sluice_str config_json, sluice_str configured_catalog_json,
                        sluice_str state_json, const sluice_host_api* host,
                        sluice_error* err);

  /* ---- ABI 1.1: sessions. Optional as a group: a plugin sets all five or
   * none (the host rejects a partial set). Check SLUICE_HAS_FIELD first. */

  /* Opens a session with this (schema-validated, secrets resolved) config.
   * `host` is borrowed until close() returns: the session may log through it
   * and poll is_cancelled during any later call; emit_records/emit_state
   * only inside session_read. On SLUICE_OK *out is the session (may be any
   * non-NULL pointer); on error *out is untouched and nothing needs closing.
   * Cheap: it should not reach the source (check and discover do). */
  sluice_status (*open)(sluice_str config_json, const sluice_host_api* host, sluice_session** out,
                        sluice_error* err);

  /* Ends a session opened by open() and frees everything it holds. Called
   * exactly once per successful open(), never during another call. */
  void (*close)(sluice_session* session);

  /* As check(), on the session's config. */
  sluice_status (*session_check)(sluice_session* session, sluice_error* err);

  /* As discover(). `selection_json` is {"streams":[{"namespace":..,"name":..}]}
   * naming the streams the host will read, a hint: the plugin may describe
   * only those (and must describe at least those it can find). An empty
   * slice means every stream. */
  sluice_status (*session_discover)(sluice_session* session, sluice_str selection_json, sluice_buffer* out,
                                    sluice_error* err);

  /* As read(). The host calls it once per stream of a sync, on the same
   * session, so checkpoints of one stream never cover another's records. */
  sluice_status (*session_read)(sluice_session* session, sluice_str configured_catalog_json,
                                sluice_str state_json, sluice_error* err);

  /* ---- ABI 1.2 */

  /* Non-zero: distinct sessions share no unguarded state, so the host may
   * use several at once, each from its own thread (parallel streams). Zero,
   * or a table without the field: every call is serialised, as above. */
  uint32_t concurrent_sessions;

  /* ---- ABI 1.3: query in place (`sluice query`, docs/query.md). Optional
   * as a pair, and only with sessions: a plugin that can run a read-only
   * statement at its source sets both; NULL and NULL otherwise. */

  /* The source's SQL dialect, NUL-terminated, static: "postgresql",
   * "mysql", "bigquery", "snowflake" or "databricks". The host refuses any
   * statement that breaks that dialect's read-only rule (one SELECT or WITH
   * statement that neither writes nor locks) before calling session_query. */
  const char* query_dialect;

  /* Runs one statement, already checked by the host, on the session, and
   * streams its result through the session's host table (emit_columns
   * once, then emit_rows). request_json is
   *   {"sql": "...", "parameters": [{"name": "day", "type": "date",
   *    "value": "2026-11-30"}, ...], "timeout_seconds": 60,
   *    "max_bytes_billed": 10000000000 or null}
   * with types string, integer, number, boolean, date and timestamp. The
   * plugin binds every parameter (never pastes one into the SQL), runs the
   * statement read-only where the source has such a mode (a read-only
   * transaction; BigQuery: a dry run first, refused unless a SELECT),
   * pushes the timeout (and the byte cap) into the source, and cancels the
   * statement at the source when is_cancelled() turns non-zero or an emit
   * returns SLUICE_CANCELLED. On SLUICE_OK, *out (caller releases) holds a
   * JSON object of facts the host shows, "{}" at least: e.g.
   * {"statement_id": "...", "bytes_processed": 123, "bytes_billed": 0}. */
  sluice_status (*session_query)(sluice_session* session, sluice_str request_json, sluice_buffer* out,
                                 sluice_error* err);

  /* ABI 1.x additions go here, at the end only. */
} sluice_plugin_api;

/* The one exported symbol, named SLUICE_ENTRY_SYMBOL. The host passes its ABI
 * version; the plugin returns its table in *out, or SLUICE_INCOMPATIBLE (with
 * *err filled) when it cannot run on that host. The table is static: the host
 * never frees it. */
typedef sluice_status (*sluice_plugin_entry_fn)(uint16_t host_abi_major,
                                                uint16_t host_abi_minor,
                                                const sluice_plugin_api** out,
                                                sluice_error* err);

#ifdef __cplusplus
}
#endif
#endif /* SLUICE_PLUGIN_H_ */
