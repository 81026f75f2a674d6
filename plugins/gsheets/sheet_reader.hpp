// Reading one sheet: its rows below the header in windows of A1 ranges
// ('Title'!A2:F10001, then A10002:F20001...) up to the sheet's row count,
// one values.batchGet each, sized so an answer stays under 2 MB. A window
// that still fails after its retries fails the stream with a message naming
// the sheet and the rows: no partial read is ever reported as complete (a
// full refresh then keeps the old table: the host swaps only on success).
// Incremental modes read the whole sheet too (Sheets has no change feed):
// incremental_append keeps the rows whose cursor is above the checkpoint's,
// incremental_append_dedup emits every row for the host to upsert by key.
// Both skip rows with an empty cursor (warned) and checkpoint once, at the
// end: {"cursor_field", "cursor", "sheet_id", "title"}; a full refresh ends
// with {"sheet_id", "title"}. Given a state whose title is not the tab's
// (in any mode), the read says the tab was renamed.
#pragma once

#include "discovery.hpp"

#include <sluice/sdk.hpp>

namespace gsheets {

// The next window's row count: what keeps an answer near `target_bytes`
// (1.9 MB: under Google's recommended 2 MB maximum payload with room for
// the envelope) at the last answer's bytes per row, within [100, configured].
int64_t next_window_rows(int64_t configured, size_t answer_bytes, size_t answer_rows, size_t target_bytes = 1'900'000);

// True when cursor value `value` is past `checkpoint` (numbers by value,
// strings by text, which orders ISO dates and times): the row is new.
bool cursor_after(const boost::json::value& value, const boost::json::value& checkpoint);

void read_sheet(SheetsApi& api, const Settings& settings, const SheetSchema& schema,
                const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx);

}  // namespace gsheets
