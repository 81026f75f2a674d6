// The API's routes, one file per resource; add_routes (daemon.hpp) calls
// each. Roles: viewer reads, operator triggers/cancels syncs and resets
// state, admin manages connections, ingest streams and keys; ingest (and
// operator and admin) post events. Documented in
// docs/api/sluice-v1.json (served at /v1/openapi.json).
#pragma once

#include "host/ingest/ingest_stream.hpp"
#include "host/serve/daemon.hpp"

namespace sluice::host::serve {

void add_system_routes(Router& router, Daemon& daemon);       // health, metrics, openapi, keys
void add_plugin_routes(Router& router, Daemon& daemon);       // /v1/plugins
void add_connection_routes(Router& router, Daemon& daemon);   // /v1/connections, state
void add_sync_routes(Router& router, Daemon& daemon);         // /v1/syncs
void add_ingest_routes(Router& router, Daemon& daemon);       // /v1/ingest-streams, /v1/ingest/{stream}
void add_query_routes(Router& router, Daemon& daemon);        // query endpoint, /v1/queries
void add_ingest_backfill_routes(Router& router, Daemon& daemon);  // /v1/ingest/{stream}/backfills
void add_ingest_csv_routes(Router& router, Daemon& daemon);   // /v1/ingest/{stream}/csv

// The stored connection `id` (ApiError 404 connection_not_found).
ConnectionRow require_connection(Daemon& daemon, const std::string& id);
// Its connection object, unsealed.
boost::json::object open_connection(Daemon& daemon, const ConnectionRow& row);
// ?limit= of a list: `fallback` when absent; ApiError 400 unless a whole
// number from 1 to `max`.
size_t parse_limit(const ApiRequest& request, size_t fallback, size_t max);

// The body as sent, or inflated (Content-Encoding: gzip) up to
// `max_inflated` bytes: ApiError 413 past it, 400 invalid_gzip, 415 for
// another encoding. The ingest routes' bodies (events, backfills).
std::string decoded_body(const ApiRequest& request, size_t max_inflated);

// The ingest stream `name` as stored (unsealed and read): ApiError 404
// ingest_stream_not_found when there is none.
IngestStream ingest_stream_named(Daemon& daemon, const std::string& name);
// The text of the OpenAPI document (generated from docs/api/sluice-v1.json).
std::string_view openapi_document();

}  // namespace sluice::host::serve
