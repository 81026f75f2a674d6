#include "sheet_reader.hpp"

#include "a1_notation.hpp"

#include <algorithm>

namespace gsheets {

namespace json = boost::json;

int64_t next_window_rows(int64_t configured, size_t answer_bytes, size_t answer_rows, size_t target_bytes) {
  if (answer_rows == 0 || answer_bytes == 0) return configured;
  const auto fitting = static_cast<int64_t>(target_bytes / std::max<size_t>(answer_bytes / answer_rows, 1));
  return std::clamp<int64_t>(fitting, std::min<int64_t>(100, configured), configured);
}

bool cursor_after(const json::value& value, const json::value& checkpoint) {
  if (value.is_null()) return false;
  if (checkpoint.is_null()) return true;
  if (value.is_number() && checkpoint.is_number()) return value.to_number<double>() > checkpoint.to_number<double>();
  if (value.is_string() && checkpoint.is_string()) return value.get_string() > checkpoint.get_string();
  return json::serialize(value) > json::serialize(checkpoint);
}

namespace {

[[noreturn]] void config_error(const std::string& message) { throw sluice::Error(sluice::ErrorKind::config, message); }

// The cursor column's position, -1 when the stream is not incremental.
int cursor_column_of(const sluice::ConfiguredStream& stream, const SheetSchema& schema) {
  if (!stream.incremental()) return -1;
  if (stream.cursor_field.size() != 1) {
    config_error("incremental modes need cursor_field naming one column of sheet '" + schema.sheet.title + "'");
  }
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    if (schema.columns[i].name == stream.cursor_field[0]) return static_cast<int>(i);
  }
  config_error("cursor_field " + stream.cursor_field[0] + ": sheet '" + schema.sheet.title + "' has no such column");
}

}  // namespace

void read_sheet(SheetsApi& api, const Settings& settings, const SheetSchema& schema,
                const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
  const SheetInfo& sheet = schema.sheet;
  const int cursor_column = cursor_column_of(stream, schema);
  // incremental_append keeps the rows past the checkpoint; dedup emits every
  // row, upserted by key (an edited row whose cursor did not move included).
  const bool filter = stream.sync_mode == sluice::SyncMode::incremental_append;
  json::value checkpoint;  // null: everything is new
  if (const auto* state = stream.state.if_object()) {
    if (const auto* title = state->if_contains("title"); title && title->is_string() && title->get_string() != sheet.title) {
      ctx.info("sheet " + std::to_string(sheet.sheet_id) + " was renamed from '" + std::string(title->get_string()) +
               "' to '" + sheet.title + "': stream " + schema.stream_name + " keeps its table and state");
    }
    if (const auto* cursor = state->if_contains("cursor"); cursor && cursor_column >= 0) checkpoint = *cursor;
  }
  const int64_t first_data_row = settings.header_row + 1, last_row = sheet.row_count;
  const auto width = static_cast<int64_t>(schema.columns.size());
  ctx.info("reading tab '" + sheet.title + "' rows " + std::to_string(first_data_row) + "-" + std::to_string(last_row) +
           " (" + std::to_string(width) + " columns)");
  json::value max_cursor = checkpoint;
  size_t skipped_without_cursor = 0;
  int64_t window = settings.rows_per_request;
  DecodedRows rows;
  for (int64_t first = first_data_row; first <= last_row;) {
    const int64_t last = std::min(first + window - 1, last_row);
    const std::string range = row_range(sheet.title, first, last, width);
    const std::string resource = "sheet '" + sheet.title + "' rows " + std::to_string(first) + "-" +
                                 std::to_string(last) + " (" + range + ")";
    const std::string body = api.values(range, resource);
    rows.clear();
    decode_value_range(body, schema.columns, cursor_column, first, static_cast<size_t>(last - first + 1),
                       "values.batchGet of " + resource, rows);
    for (size_t i = 0; i < rows.ends.size(); ++i) {
      if (cursor_column >= 0) {
        const json::value& cursor = rows.cursors[i];
        if (cursor.is_null()) {
          ++skipped_without_cursor;
          continue;
        }
        if (filter && !cursor_after(cursor, checkpoint)) continue;
        if (cursor_after(cursor, max_cursor)) max_cursor = cursor;
      }
      ctx.emit_serialized(rows.record(i));
    }
    window = next_window_rows(settings.rows_per_request, body.size(), rows.range_rows);
    ctx.progress(last - settings.header_row, last_row - settings.header_row);
    first = last + 1;
  }
  if (skipped_without_cursor > 0) {
    ctx.warn(std::to_string(skipped_without_cursor) + " rows of tab '" + sheet.title + "' have no value in cursor column " +
             stream.cursor_field[0] + " and were skipped");
  }
  // Every mode ends with the tab's identity and title, so the next read
  // given this state can tell a rename; a full refresh's is not a resume
  // point (it has no cursor).
  json::object state;
  if (cursor_column >= 0) {
    state["cursor_field"] = json::array{json::string(stream.cursor_field[0])};
    state["cursor"] = max_cursor;
  }
  state["sheet_id"] = sheet.sheet_id;
  state["title"] = sheet.title;
  ctx.checkpoint(state);
}

}  // namespace gsheets
