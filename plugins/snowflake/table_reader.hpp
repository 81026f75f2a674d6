// Reading one stream: one SELECT over the table (bounded and ordered by the
// cursor and key for incremental streams, cursor.hpp), run to completion
// (snowflake_api.hpp polls a 202), then its result partitions: partition 0
// came with the answer, the others are fetched in parallel on a FetchPool
// (at most `concurrency` at once, each retried by the HTTP client) and
// emitted strictly in partition order, decoded on the fetching threads
// (row_decoder.hpp). An incremental stream checkpoints after each partition,
// so an interrupted sync resumes after the last partition that reached the
// target; a partition that fails after its retries fails the stream there,
// with every partition before it delivered and none after.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses#retrieving-additional-partitions
#pragma once

#include "settings.hpp"
#include "snowflake_api.hpp"

#include <sluice/sdk.hpp>

namespace snowflake {

// The SELECT of a stream: SELECT * FROM "schema"."table" [WHERE condition]
// [ORDER BY "c", "k" ...], identifiers quoted.
std::string select_sql(const std::string& schema, const std::string& table, const std::string& condition,
                       const std::vector<std::string>& order_by);

void read_stream(SnowflakeApi& api, const Settings& settings, const sluice::ConfiguredStream& stream,
                 sluice::ReadContext& ctx);

}  // namespace snowflake
