#include "sql_common/query.hpp"


namespace sql_common {

void emit_query_rows(sluice::QueryContext& ctx, const DecodedRows& rows) {
  for (size_t i = 0; i < rows.size(); ++i) ctx.row_serialized(rows.record(i));
}

void stream_query_chunks(sluice::support::FetchPool& pool, size_t chunks,
                         const std::function<RowBatch(sluice::support::HttpClient&, size_t)>& fetch,
                         sluice::QueryContext& ctx) {
  sluice::support::fetch_in_order<RowBatch>(pool, 0, chunks, fetch, [&](size_t, RowBatch& batch) {
    emit_query_rows(ctx, batch.rows);
    batch.rows = {};  // its memory goes now, not when the next chunk arrives
    return true;
  });
}

}  // namespace sql_common
