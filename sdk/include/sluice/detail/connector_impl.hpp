// Inline definitions for sluice/connector.hpp. Not part of the author API.
#pragma once

#include <sluice/detail/names.hpp>

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

inline void ReadContext::emit_serialized(std::string_view record_json) {
  pending_.append(record_json);
  pending_.push_back('\n');
  if (++pending_records_ >= kBatchRecords || pending_.size() >= kBatchBytes) flush();
}

inline void ReadContext::flush() {
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
