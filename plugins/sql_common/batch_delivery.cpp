#include "sql_common/batch_delivery.hpp"

namespace sql_common {

bool BatchDelivery::operator()(size_t, RowBatch& batch) {
  for (size_t i = 0; i < batch.rows.size(); ++i) ctx_.emit_serialized(batch.rows.record(i));
  done_ += static_cast<int64_t>(batch.rows.size());
  std::optional<boost::json::object> checkpoint;
  if (checkpoint_ && !batch.last.empty()) checkpoint = checkpoint_(batch.last);
  if (checkpoint) {
    ctx_.checkpoint(*checkpoint);
  } else {
    ctx_.flush();
  }
  ctx_.progress(done_, total_);
  return true;
}

}  // namespace sql_common
