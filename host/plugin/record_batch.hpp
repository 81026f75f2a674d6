// Typed record batches (ABI 1.4, plugin.h) on the host's side of the
// boundary: the owned copy the sync pipeline queues, made only after every
// cell is checked safe to read, and the NDJSON the same records mean (for
// callbacks that take records as text: `sluice read`, the acceptance suite).
#pragma once

#include <sluice/plugin.h>

#include <string>
#include <vector>

namespace sluice::host {

struct RecordBatchCopy {
  std::vector<std::string> fields;  // distinct names
  std::vector<sluice_cell> cells;   // records * fields.size(), record after record
  std::string text;                 // STRING and JSON cells' bytes
  size_t records = 0;
};

// Copies `batch`, checking that it keeps plugin.h's contract: a table of
// ABI 1.4's size, arrays present for their counts, distinct field names,
// known kinds, text ranges inside the text, BOOL 0 or 1, finite DOUBLEs and
// TIMESTAMPs in years 0001-9999. Throws PluginError(internal) naming the
// record and field otherwise. Not checked here: that STRING cells are UTF-8
// and JSON cells JSON (whoever reads the values does, as for NDJSON).
RecordBatchCopy copy_record_batch(const sluice_record_batch* batch);

// The records as NDJSON, one object per line (sluice/connector.hpp's
// detail::append_typed_records, the SDK's fallback for older hosts).
std::string records_as_ndjson(const RecordBatchCopy& batch);

}  // namespace sluice::host
