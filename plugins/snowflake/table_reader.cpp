#include "table_reader.hpp"

#include "cursor.hpp"
#include "discovery.hpp"
#include "identifiers.hpp"
#include "partition_decoder.hpp"
#include "row_decoder.hpp"

#include <sluice/support/fetcher.hpp>

#include <optional>

namespace snowflake {

namespace {

// A partition decoded on a fetching thread: its records, and its last row
// as sent (for the checkpoint).
struct Partition {
  DecodedRows rows;
  json::array last;
};

Partition decode_partition(json::array data, const std::vector<Column>& columns) {
  Partition partition;
  decode_rows(data, columns, partition.rows);
  if (!data.empty()) partition.last = std::move(data.back().as_array());
  return partition;
}

// A later partition's answer, decoded as it is parsed (no DOM), and its
// last row as the checkpoint reads it.
Partition decode_partition_text(const std::string& body, const std::vector<Column>& columns, const std::string& what) {
  DecodedPartition decoded = decode_partition_answer(body, columns, what);
  Partition partition;
  partition.rows = std::move(decoded.rows);
  for (auto& cell : decoded.last) {
    if (cell) partition.last.emplace_back(json::string(*cell));
    else partition.last.emplace_back(nullptr);
  }
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

  int64_t done = 0;
  auto deliver = [&](size_t, Partition& partition) {
    for (size_t i = 0; i < partition.rows.ends.size(); ++i) ctx.emit_serialized(partition.rows.record(i));
    done += static_cast<int64_t>(partition.rows.ends.size());
    std::optional<json::object> checkpoint;
    if (incremental && !partition.last.empty()) {
      checkpoint = checkpoint_after(*incremental, result.columns, positions, partition.last);
    }
    if (checkpoint) {
      ctx.checkpoint(*checkpoint);
    } else {
      ctx.flush();
    }
    ctx.progress(done, result.rows);
    return true;
  };

  if (result.partitions <= 1) {
    Partition only = decode_partition(std::move(result.first), result.columns);
    deliver(0, only);
    return;
  }
  // Partition 0 came with the answer: it is decoded on the pool too, while
  // the next ones are fetched.
  sluice::support::FetchPool pool(api.options(), api.auth(), api.base_url(), {settings.concurrency});
  const std::vector<Column>& columns = result.columns;
  const std::string& handle = result.handle;
  json::array& first = result.first;
  sluice::support::fetch_in_order<Partition>(
      pool, 0, result.partitions,
      [&](sluice::support::HttpClient& client, size_t index) {
        if (index == 0) return decode_partition(std::move(first), columns);
        return decode_partition_text(api.fetch_partition_text(client, handle, index, what), columns,
                                     what + " (partition " + std::to_string(index) + ")");
      },
      deliver);
}

}  // namespace snowflake
