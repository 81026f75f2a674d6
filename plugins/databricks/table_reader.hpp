// Reading one stream: one SELECT over the table (bounded and ordered by the
// cursor and key for incremental streams, cursor.hpp) with disposition
// EXTERNAL_LINKS (INLINE results are capped at 25 MiB), run to completion
// (databricks_api.hpp polls it), then its chunks (result_chunks.hpp) read in
// parallel on a FetchPool, at most `concurrency` at once, decoded on the
// fetching threads and emitted strictly in chunk order. An incremental
// stream checkpoints after each chunk, so an interrupted sync resumes after
// the last chunk that reached the target; a chunk that fails after its
// attempts fails the stream there, every chunk before it delivered and none
// after (a full refresh then keeps the previous table).
// https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial (EXTERNAL_LINKS, chunks)
#pragma once

#include "databricks_api.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

namespace databricks {

// SELECT * FROM `schema`.`table` [WHERE condition] [ORDER BY `c`, `k` ...].
std::string select_sql(const std::string& schema, const std::string& table, const std::string& condition,
                       const std::vector<std::string>& order_by);

void read_stream(DatabricksApi& api, const Settings& settings, const sluice::ConfiguredStream& stream,
                 sluice::ReadContext& ctx);

}  // namespace databricks
