// Handing a result's decoded chunks (partitions) to the host, strictly in
// order, the same way for every connector that reads a statement's result
// in parallel chunks (Snowflake, Databricks): each batch's records, then a
// checkpoint after its last row when the read is incremental (a flush
// otherwise, or when that row's cursor is NULL), then the progress. So an
// interrupted sync resumes after the last batch that reached the target.
#pragma once

#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>

#include <functional>
#include <optional>

namespace sql_common {

class BatchDelivery {
 public:
  // The checkpoint after a batch whose last row is `last`; nullopt: none.
  using Checkpoint = std::function<std::optional<boost::json::object>(const SentRow& last)>;

  // `checkpoint` empty: never one (a full refresh). `total_rows` -1: unknown.
  BatchDelivery(sluice::ReadContext& ctx, int64_t total_rows, Checkpoint checkpoint)
      : ctx_(ctx), total_(total_rows), checkpoint_(std::move(checkpoint)) {}

  // As fetch_in_order's `deliver` (sluice/support/fetcher.hpp): always true.
  bool operator()(size_t index, RowBatch& batch);

 private:
  sluice::ReadContext& ctx_;
  int64_t total_, done_ = 0;
  Checkpoint checkpoint_;
};

}  // namespace sql_common
