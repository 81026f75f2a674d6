#include "table_reader.hpp"

#include "cursor.hpp"
#include "discovery.hpp"
#include "identifiers.hpp"
#include "partition_decoder.hpp"
#include "row_decoder.hpp"

#include "sql_common/batch_delivery.hpp"

#include <sluice/support/fetcher.hpp>

#include <functional>
#include <optional>

namespace snowflake {

namespace {

// A partition that came parsed with the answer (partition 0): its records,
// and its last row as sent (for the checkpoint).
sql_common::RowBatch decode_partition(json::array data, const std::vector<Column>& columns) {
  sql_common::RowBatch partition;
  decode_rows(data, columns, partition.rows);
  if (!data.empty()) partition.last = sql_common::sent_row(data.back().as_array());
  return partition;
}

}  // namespace

std::string select_sql(const std::string& schema, const std::string& table, const std::string& condition,
                       const std::vector<std::string>& order_by) {
  std::string sql = "SELECT * FROM " + quote_table(schema, table);
  if (!condition.empty()) sql += " WHERE " + condition;
  for (size_t i = 0; i < order_by.size(); ++i) {
    sql += i ? ", " : " ORDER BY ";
    sql += quote_identifier(order_by[i], "column");
  }
  return sql;
}

void read_stream(SnowflakeApi& api, const Settings& settings, const sluice::ConfiguredStream& stream,
                 sluice::ReadContext& ctx) {
  if (stream.ns.empty()) {
    throw sluice::Error(sluice::ErrorKind::config, "the stream has no namespace (DATABASE.SCHEMA); rerun discover");
  }
  const std::string schema = schema_of_namespace(stream.ns, settings);
  std::optional<IncrementalRead> incremental;
  if (stream.incremental()) incremental = plan_incremental_read(stream);

  Statement statement;
  statement.schema = schema;
  statement.sql = select_sql(schema, stream.name, incremental ? incremental->condition : std::string(),
                             incremental ? incremental->keyset.order_by : std::vector<std::string>());
  if (incremental) statement.bindings = incremental->bindings;
  const std::string what = "the read of " + stream.ns + "." + stream.name;
  ResultSet result = api.execute(statement, what);
  std::vector<size_t> positions;
  if (incremental) positions = locate_order_columns(*incremental, result.columns, stream);

  sql_common::BatchDelivery::Checkpoint checkpoint;
  if (incremental) {
    checkpoint = [&](const sql_common::SentRow& last) {
      return checkpoint_after(*incremental, result.columns, positions, last);
    };
  }
  sql_common::BatchDelivery deliver(ctx, result.rows, std::move(checkpoint));

  if (result.partitions <= 1) {
    sql_common::RowBatch only = decode_partition(std::move(result.first), result.columns);
    deliver(0, only);
    return;
  }
  // Partition 0 came with the answer: it is decoded on the pool too, while
  // the next ones are fetched.
  sluice::support::FetchPool pool(api.options(), api.auth(), api.base_url(), {settings.concurrency});
  const std::vector<Column>& columns = result.columns;
  const std::string& handle = result.handle;
  json::array& first = result.first;
  sluice::support::fetch_in_order<sql_common::RowBatch>(
      pool, 0, result.partitions,
      [&](sluice::support::HttpClient& client, size_t index) {
        if (index == 0) return decode_partition(std::move(first), columns);
        return decode_partition_answer(api.fetch_partition_text(client, handle, index, what), columns,
                                       what + " (partition " + std::to_string(index) + ")");
      },
      std::ref(deliver));
}

}  // namespace snowflake
