#include "table_reader.hpp"

#include "cursor.hpp"
#include "discovery.hpp"
#include "identifiers.hpp"
#include "result_chunks.hpp"

#include "sql_common/batch_delivery.hpp"

#include <sluice/support/fetcher.hpp>

#include <functional>
#include <optional>

namespace databricks {

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

void read_stream(DatabricksApi& api, const Settings& settings, const sluice::ConfiguredStream& stream,
                 sluice::ReadContext& ctx) {
  if (stream.ns.empty()) {
    throw sluice::Error(sluice::ErrorKind::config, "the stream has no namespace (CATALOG.SCHEMA); rerun discover");
  }
  const std::string schema = schema_of_namespace(stream.ns, settings);
  std::optional<IncrementalRead> incremental;
  if (stream.incremental()) incremental = plan_incremental_read(stream);

  Statement statement;
  statement.disposition = Disposition::external_links;
  statement.sql = select_sql(schema, stream.name, incremental ? incremental->condition : std::string(),
                             incremental ? incremental->keyset.order_by : std::vector<std::string>());
  if (incremental) statement.parameters = incremental->parameters;
  const std::string what = "the read of " + stream.ns + "." + stream.name;
  const StatementResult result = api.execute(statement, what);
  std::vector<size_t> positions;
  if (incremental) positions = locate_order_columns(*incremental, result.columns, stream);

  sql_common::BatchDelivery::Checkpoint checkpoint;
  if (incremental) {
    checkpoint = [&](const sql_common::SentRow& last) {
      return checkpoint_after(*incremental, result.columns, positions, last);
    };
  }
  sql_common::BatchDelivery deliver(ctx, result.total_rows, std::move(checkpoint));
  if (result.chunks.empty()) return;  // SUCCEEDED with no rows

  sluice::support::FetchPool pool(api.options(), api.auth(), api.base_url(), {settings.concurrency});
  sluice::support::fetch_in_order<DecodedChunk>(
      pool, 0, result.chunks.size(),
      [&](sluice::support::HttpClient& client, size_t index) {
        // Chunk 0's links (or rows) came with the answer.
        const json::object* given = index == 0 && !result.first.empty() ? &result.first : nullptr;
        return read_chunk(api, client, result, index, given, what);
      },
      std::ref(deliver));
}

}  // namespace databricks
