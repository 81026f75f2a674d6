// Inline definitions for sluice/connector.hpp. Not part of the author API.
#pragma once

#include <sluice/detail/json_string.hpp>
#include <sluice/detail/names.hpp>
#include <sluice/detail/rfc3339_format.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

// SyncMode's enumerators are in the order of detail::kSyncModeNames.
inline const char* to_string(SyncMode mode) { return detail::kSyncModeNames[static_cast<size_t>(mode)]; }

inline std::vector<SyncMode> full_refresh_modes() {
  return {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append};
}

inline std::vector<SyncMode> all_sync_modes() {
  return {SyncMode::full_refresh_overwrite, SyncMode::full_refresh_append, SyncMode::incremental_append,
          SyncMode::incremental_append_dedup};
}

namespace detail {
inline std::optional<SyncMode> parse_sync_mode(std::string_view text) {
  for (SyncMode mode : all_sync_modes()) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}
}  // namespace detail

inline void Logger::log(int32_t level, std::string_view message) const {
  if (host_ && host_->log) host_->log(host_->ctx, level, {message.data(), message.size()});
}

inline bool Logger::cancelled() const {
  return host_ && host_->is_cancelled && host_->is_cancelled(host_->ctx) != 0;
}

namespace detail {
// Turns a host emit status into the matching exception, so a connector's
// read loop unwinds as soon as the host says stop.
inline void raise_for_host_status(sluice_status status, sluice_error& err) {
  if (status == SLUICE_OK) return;
  std::string message = err.message ? err.message : "the host refused the call";
  auto kind = static_cast<ErrorKind>(err.kind);
  if (err.release) err.release(&err);
  if (status == SLUICE_CANCELLED) throw Cancelled();
  throw Error(kind, message);
}

inline sluice_str as_str(std::string_view text) { return {text.data(), text.size()}; }
}  // namespace detail

namespace detail {
// Typed records (ABI 1.4) as the NDJSON that means the same (plugin.h): what
// a host older than 1.4 receives. One JSON object per record, fields in
// order, each line ending in '\n'.
inline void append_typed_records(std::string& out, const sluice_record_batch& batch) {
  for (uint64_t r = 0; r < batch.record_count; ++r) {
    out.push_back('{');
    for (uint32_t f = 0; f < batch.field_count; ++f) {
      if (f > 0) out.push_back(',');
      support::append_json_string(out, std::string_view(batch.fields[f].data, batch.fields[f].size));
      out.push_back(':');
      const sluice_cell& cell = batch.cells[r * batch.field_count + f];
      char number[32];
      switch (cell.kind) {
        case SLUICE_CELL_INT64: {
          const auto end = std::to_chars(number, number + sizeof number, cell.value.integer).ptr;
          out.append(number, end);
          break;
        }
        case SLUICE_CELL_DOUBLE: {  // shortest text that reads back as the same double...
          const auto end = std::to_chars(number, number + sizeof number, cell.value.real).ptr;
          out.append(number, end);
          // ...and reads back as a double: always a fraction or an exponent.
          if (std::string_view(number, static_cast<size_t>(end - number)).find_first_of(".e") == std::string_view::npos) {
            out += ".0";
          }
          break;
        }
        case SLUICE_CELL_BOOL: out += cell.value.integer ? "true" : "false"; break;
        case SLUICE_CELL_STRING:
          support::append_json_string(out, std::string_view(batch.text.data + cell.value.offset, cell.size));
          break;
        case SLUICE_CELL_TIMESTAMP:
          out.push_back('"');
          support::detail::append_rfc3339_micros(out, cell.value.integer, 6);
          out.push_back('"');
          break;
        case SLUICE_CELL_JSON: {
          // On one line: a raw line break in JSON text can only be
          // whitespace (inside a string it must be escaped).
          const size_t at = out.size();
          out.append(batch.text.data + cell.value.offset, cell.size);
          for (size_t i = at; i < out.size(); ++i) {
            if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
          }
          break;
        }
        default: out += "null";
      }
    }
    out += "}\n";
  }
}
}  // namespace detail

inline void ReadContext::emit_serialized(std::string_view record_json) {
  if (typed_records_ > 0) flush_typed();  // emit order is kept
  pending_.append(record_json);
  pending_.push_back('\n');
  if (++pending_records_ >= kBatchRecords || pending_.size() >= kBatchBytes) flush();
}

inline void ReadContext::set_fields(std::vector<std::string> fields) {
  if (fields == fields_ && record_cells_ == 0) return;  // e.g. each page of one result
  flush();
  // What is left is a record end_record() refused: dropped.
  cells_.clear();
  cell_text_.clear();
  record_cells_ = 0;
  fields_ = std::move(fields);
  field_views_.clear();
  for (const std::string& name : fields_) field_views_.push_back(detail::as_str(name));
}

inline sluice_cell& ReadContext::next_cell(sluice_cell_kind kind) {
  if (record_cells_ == 0 && pending_records_ > 0) flush();  // emit order is kept
  if (record_cells_ >= fields_.size()) {
    throw Error(ErrorKind::internal, "a typed record has more cells than the " + std::to_string(fields_.size()) +
                                         " fields named by set_fields()");
  }
  ++record_cells_;
  sluice_cell& cell = cells_.emplace_back();
  cell.kind = kind;
  return cell;
}

inline void ReadContext::null_cell() { next_cell(SLUICE_CELL_NULL); }
inline void ReadContext::int_cell(int64_t value) { next_cell(SLUICE_CELL_INT64).value.integer = value; }
inline void ReadContext::bool_cell(bool value) { next_cell(SLUICE_CELL_BOOL).value.integer = value ? 1 : 0; }
inline void ReadContext::timestamp_cell(int64_t micros) { next_cell(SLUICE_CELL_TIMESTAMP).value.integer = micros; }

inline void ReadContext::real_cell(double value) {
  if (!std::isfinite(value)) return text_cell(std::isnan(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
  next_cell(SLUICE_CELL_DOUBLE).value.real = value;
}

inline void ReadContext::text_cell(std::string_view utf8) {
  sluice_cell& cell = next_cell(SLUICE_CELL_STRING);
  cell.value.offset = cell_text_.size();
  cell.size = static_cast<uint32_t>(utf8.size());
  cell_text_.append(utf8);
}

inline void ReadContext::json_cell(std::string_view json) {
  sluice_cell& cell = next_cell(SLUICE_CELL_JSON);
  cell.value.offset = cell_text_.size();
  cell.size = static_cast<uint32_t>(json.size());
  cell_text_.append(json);
}

inline void ReadContext::end_record() {
  if (record_cells_ != fields_.size()) {
    throw Error(ErrorKind::internal, "a typed record has " + std::to_string(record_cells_) + " cells for the " +
                                         std::to_string(fields_.size()) + " fields named by set_fields()");
  }
  record_cells_ = 0;
  if (++typed_records_ >= kBatchRecords || cell_text_.size() + cells_.size() * sizeof(sluice_cell) >= kBatchBytes) {
    flush_typed();
  }
}

inline void ReadContext::flush_typed() {
  if (typed_records_ == 0) return;
  sluice_record_batch batch{};
  batch.struct_size = sizeof(batch);
  batch.field_count = static_cast<uint32_t>(fields_.size());
  batch.fields = field_views_.data();
  batch.record_count = typed_records_;
  batch.cells = cells_.data();
  batch.text = detail::as_str(cell_text_);
  sluice_error err{};
  err.struct_size = sizeof(err);
  sluice_status status;
  if (SLUICE_HAS_FIELD(sluice_host_api, host_, emit_record_batch) && host_->emit_record_batch) {
    status = host_->emit_record_batch(host_->ctx, detail::as_str(stream_.ns), detail::as_str(stream_.name), &batch,
                                      &err);
  } else {
    std::string ndjson;
    detail::append_typed_records(ndjson, batch);
    status = host_->emit_records(host_->ctx, detail::as_str(stream_.ns), detail::as_str(stream_.name),
                                 detail::as_str(ndjson), &err);
  }
  // A record being built stays: its cells move to the front.
  const size_t complete = typed_records_ * fields_.size();
  cells_.erase(cells_.begin(), cells_.begin() + static_cast<std::ptrdiff_t>(complete));
  if (cells_.empty()) cell_text_.clear();
  typed_records_ = 0;
  detail::raise_for_host_status(status, err);
}

inline void ReadContext::flush() {
  flush_typed();
  if (pending_records_ == 0) return;
  sluice_error err{};
  err.struct_size = sizeof(err);
  sluice_status status = host_->emit_records(host_->ctx, detail::as_str(stream_.ns), detail::as_str(stream_.name),
                                             detail::as_str(pending_), &err);
  pending_.clear();
  pending_records_ = 0;
  detail::raise_for_host_status(status, err);
}

inline void ReadContext::checkpoint(const boost::json::value& state) {
  flush();
  std::string text = boost::json::serialize(state);
  sluice_error err{};
  err.struct_size = sizeof(err);
  sluice_status status = host_->emit_state(host_->ctx, detail::as_str(stream_.ns), detail::as_str(stream_.name),
                                           detail::as_str(text), &err);
  detail::raise_for_host_status(status, err);
}

inline void ReadContext::progress(int64_t done, int64_t total) const {
  if (host_->progress) {
    host_->progress(host_->ctx, detail::as_str(stream_.ns), detail::as_str(stream_.name), done, total);
  }
}

inline void QueryContext::columns(const std::vector<QueryColumn>& columns) {
  boost::json::array list;
  for (const QueryColumn& column : columns) {
    list.push_back(boost::json::object{{"name", column.name}, {"schema", column.schema},
                                       {"source_type", column.source_type}});
  }
  const std::string text = boost::json::serialize(list);
  sluice_error err{};
  err.struct_size = sizeof(err);
  detail::raise_for_host_status(host_->emit_columns(host_->ctx, detail::as_str(text), &err), err);
}

inline void QueryContext::row_serialized(std::string_view row_json) {
  pending_.append(row_json);
  pending_.push_back('\n');
  if (++pending_rows_ >= ReadContext::kBatchRecords || pending_.size() >= ReadContext::kBatchBytes) flush();
}

inline void QueryContext::flush() {
  if (pending_rows_ == 0) return;
  sluice_error err{};
  err.struct_size = sizeof(err);
  const sluice_status status = host_->emit_rows(host_->ctx, detail::as_str(pending_), &err);
  pending_.clear();
  pending_rows_ = 0;
  detail::raise_for_host_status(status, err);
}

}  // namespace sluice
