// Reading one chunk of a SUCCEEDED statement's result, on a FetchPool
// worker. EXTERNAL_LINKS chunks are downloaded from their presigned URL on
// the cloud storage host, with the link's http_headers and WITHOUT the
// workspace's Authorization header (the URL carries its own credential; a
// bearer token must never reach another host), with a read timeout that
// grows with the chunk's byte_count. A link past its expiration, or one the
// storage host refuses (403, 404, 410), is refreshed through GET
// .../result/chunks/{index}; a chunk whose download or rows still fail after
// kChunkAttempts fails the stream: never an empty or partial chunk (its row
// count must be the manifest's). INLINE chunks come from the chunk endpoint.
// https://docs.databricks.com/api/workspace/statementexecution/getstatementresultchunkn
// https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial (external links)
#pragma once

#include "databricks_api.hpp"
#include "row_decoder.hpp"

#include <sluice/support/http_client.hpp>

#include <optional>

namespace databricks {

inline constexpr int kChunkAttempts = 3;

struct ExternalLink {
  std::string url;  // secret: its query holds a credential; never in a message
  std::optional<int64_t> expires_micros;  // expiration, microseconds since the epoch
  sluice::support::Headers headers;       // http_headers (secret values)
  int64_t byte_count = 0;
};

// The external link of chunk `index` in a ResultData's external_links, if any.
std::optional<ExternalLink> link_of_chunk(const json::object& result_data, size_t index);

// A chunk decoded on a fetching thread: its records and its last row as sent
// (for the checkpoint).
using DecodedChunk = sql_common::RowBatch;

// Chunk `index` of `result` read and decoded on `client`; `given` is its
// ResultData when the statement's answer carried it (chunk 0), else null.
// RowShape::array: rows as arrays of values (query in place).
DecodedChunk read_chunk(const DatabricksApi& api, sluice::support::HttpClient& client, const StatementResult& result,
                        size_t index, const json::object* given, const std::string& what,
                        sql_common::RowShape shape = sql_common::RowShape::record);

}  // namespace databricks
