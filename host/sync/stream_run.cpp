#include "host/sync/stream_run.hpp"

#include "host/plugin/plugin_error.hpp"
#include "host/common/fault_point.hpp"
#include "host/sync/clock.hpp"
#include "host/sync/kept_staging.hpp"

#include <thread>

namespace sluice::host {

namespace json = boost::json;

namespace {

constexpr size_t kStateWarnBytes = 1 << 20;

}  // namespace

StreamRun::StreamRun(const StreamPlan& plan, Target& target, SyncListener& listener, std::string sync_id,
                     const std::atomic<bool>& cancel_flag, std::mutex* write_turn)
    : plan_(plan),
      target_(target),
      listener_(listener),
      sync_id_(std::move(sync_id)),
      cancel_flag_(cancel_flag),
      write_turn_(write_turn),
      staging_(target.staging_table(plan.table, sync_id_)),
      full_refresh_(!is_incremental(plan.mode)),
      columns_(plan.columns) {
  mapper_.emplace(columns_, sync_id_);
  if (plan.mode != SyncMode::incremental_append_dedup) return;
  for (const auto& key : plan.key_columns) {
    for (size_t c = 0; c < plan.columns.size(); ++c) {
      if (plan.columns[c].name == key) key_indexes_.push_back(c);
    }
  }
}

void StreamRun::require_keys(const RowBatch& batch) const {
  for (size_t r = 0; r < batch.rows; ++r) {
    for (size_t c : key_indexes_) {
      if (batch.at(r, c).kind != Cell::Kind::null) continue;
      // Dedup by a NULL key would keep every copy forever: refuse the
      // record, so nothing after the last checkpoint is committed.
      throw PluginError(ErrorKind::source, "record " + std::to_string(received_ + r + 1) +
                                               " of this run has no usable primary key: field " +
                                               plan_.columns[c].source_name +
                                               " is missing, null or not of the key column's type");
    }
  }
}

std::string StreamRun::configured_catalog_json() const {
  json::object stream;
  stream["name"] = plan_.name;
  stream["namespace"] = plan_.source_ns.empty() ? json::value(nullptr) : json::value(plan_.source_ns);
  stream["sync_mode"] = to_string(plan_.mode);
  stream["cursor_field"] = field_path_to_json(plan_.cursor_field);
  json::array key;
  for (const auto& part : plan_.primary_key) key.emplace_back(field_path_to_json(part));
  stream["primary_key"] = std::move(key);
  json::object catalog;
  catalog["streams"] = json::array{std::move(stream)};
  return json::serialize(catalog);
}

std::string StreamRun::state_document(const std::optional<std::string>& saved_state) const {
  // A full refresh gets only the resume point of the run it continues.
  const std::optional<std::string>& state = full_refresh_ ? resume_state_ : saved_state;
  if (!state) return R"({"streams":[]})";
  json::object entry;
  entry["namespace"] = plan_.source_ns.empty() ? json::value(nullptr) : json::value(plan_.source_ns);
  entry["name"] = plan_.name;
  entry["state"] = nullptr;
  // The saved text is spliced in verbatim, so cursor values reach the plugin
  // exactly as it wrote them (never re-parsed into doubles).
  std::string text = json::serialize(entry);
  const std::string placeholder = "\"state\":null";
  text.replace(text.find(placeholder), placeholder.size(), "\"state\":" + *state);
  return R"({"streams":[)" + text + "]}";
}

void StreamRun::prepare_tables() {
  auto existing = target_.table_columns(plan_.table);
  if (plan_.mode != SyncMode::full_refresh_overwrite) prepare_live_table(existing);
  // Staging tables earlier runs left: a killed run's where DDL is not
  // transactional, or an interrupted resumable full refresh's, which this
  // run may continue (kept_staging.hpp). This sync holds the table's run
  // lock, so no live run owns them.
  auto kept = take_kept_staging(target_, plan_, columns_, full_refresh_, listener_);
  if (!kept) return;
  staging_ = kept->table;
  resume_state_ = kept->state_json;
  listener_.log(SLUICE_LOG_INFO, "stream " + plan_.display_name() + ": resuming the full refresh that sync " +
                                     kept->sync_id + " left unfinished, from its last checkpoint");
}

void StreamRun::prepare_live_table(const std::optional<std::vector<ColumnDef>>& existing) {
  if (!existing) {
    target_.create_table(plan_.table, plan_.columns);
  } else {
    keep_existing_types(*existing);
    for (const auto& column : plan_.columns) {
      bool present = false;
      for (const auto& have : *existing) present = present || have.name == column.name;
      if (!present) {
        target_.add_column(plan_.table, column);
        listener_.log(SLUICE_LOG_INFO, "stream " + plan_.display_name() + ": new field " +
                                           (column.source_name.empty() ? column.name : column.source_name) +
                                           " added as column " + column.name + " of " + plan_.table.display());
      }
    }
  }
  if (plan_.mode == SyncMode::incremental_append_dedup) target_.ensure_unique_key(plan_.table, plan_.key_columns);
}

void StreamRun::keep_existing_types(const std::vector<ColumnDef>& existing) {
  bool changed = false;
  for (auto& column : columns_) {
    for (const auto& have : existing) {
      if (have.name != column.name || have.type == column.type || column.source_name.empty()) continue;
      // JSON is written as its text, which a text column holds whole; and
      // engines whose JSON type reads back as text (SQLite, MariaDB) would
      // otherwise warn on every run.
      if (have.type == ColumnType::text && column.type == ColumnType::json) continue;
      listener_.log(SLUICE_LOG_WARN, "stream " + plan_.display_name() + ": field " + column.source_name +
                                         " is now " + to_string(column.type) + " but its column " + column.name +
                                         " holds " + to_string(have.type) +
                                         "; values that do not fit it are kept whole in _sluice_uncast");
      column.type = have.type;
      changed = true;
    }
  }
  if (changed) mapper_.emplace(columns_, sync_id_);
}

void StreamRun::begin_transaction() {
  if (write_turn_) turn_ = std::unique_lock(*write_turn_);
  target_.begin();
}

void StreamRun::commit_transaction() {
  target_.commit();
  if (turn_.owns_lock()) turn_.unlock();
}

void StreamRun::rollback_transaction() {
  try {
    target_.rollback();
  } catch (...) {
    // The connection itself is gone; the database rolls back on its own.
  }
  if (turn_.owns_lock()) turn_.unlock();
}

void StreamRun::writer_loop() {
  try {
    begin_transaction();
    if (full_refresh_ && !resume_state_) target_.create_table(staging_, columns_);
    WriteOptions options;
    options.upsert = plan_.mode == SyncMode::incremental_append_dedup;
    options.key_columns = plan_.key_columns;
    options.cursor_column = plan_.cursor_column;
    auto writer = target_.writer(full_refresh_ ? staging_ : plan_.table, columns_, options);
    bool open = true;
    while (auto item = queue_.pop()) {
      // The next transaction opens with the next work, not right after a
      // commit: a source that pauses between checkpoints holds no write
      // lock meanwhile (SQLite has one writer per file).
      if (!open) {
        begin_transaction();
        open = true;
      }
      if (item->kind == WorkItem::Kind::rows) {
        writer->write(item->batch);
        pending_ += item->batch.rows;
        fault_point("batch-written");  // mid-stream, rows not yet committed
        if (full_refresh_ && write_turn_) {
          // Staging rows are invisible until the swap, so committing them
          // early only lets parallel streams take their turns.
          commit_transaction();
          open = false;
        }
      } else if (item->kind == WorkItem::Kind::state) {
        if (full_refresh_) {
          // Only a declared resume point is kept, with the staging rows it
          // covers; they stay invisible until the final swap or append.
          if (!item->resume_point) continue;
          target_.store().save_state({staging_, plan_.display_name(), item->state_json, sync_id_, utc_now_iso()});
          commit_transaction();
          open = false;
          fault_point("checkpoint-committed");
          continue;
        }
        target_.store().save_state({plan_.table, plan_.display_name(), item->state_json, sync_id_, utc_now_iso()});
        commit_transaction();
        committed_ += pending_;
        pending_ = 0;
        open = false;
        listener_.checkpoint_committed(plan_, committed_);
        fault_point("checkpoint-committed");
      } else {
        writer.reset();  // no statement may stay open on a table we swap
        if (!open) begin_transaction();
        finish_stream();
        writer_finished_ = true;
        return;
      }
    }
    // Closed without an end marker: the read failed or was cancelled.
    writer.reset();
    rollback_transaction();
  } catch (const std::exception& e) {
    {
      std::lock_guard lock(error_mutex_);
      writer_error_ = e.what();
    }
    writer_failed_ = true;
    queue_.abandon();
    parse_queue_.abandon();  // wakes a plugin blocked on a full queue
    rollback_transaction();
  }
}

void StreamRun::finish_stream() {
  // The resume point goes with the staging table it describes (before the
  // swap: where DDL commits implicitly, never after the table is gone).
  if (full_refresh_) target_.store().reset_states(staging_);
  if (plan_.mode == SyncMode::full_refresh_overwrite) {
    target_.replace_table(plan_.table, staging_);
  } else if (plan_.mode == SyncMode::full_refresh_append) {
    target_.append_table(plan_.table, staging_, columns_);
  }
  uncommitted_at_end_ = full_refresh_ ? 0 : pending_;
  fault_point("before-final-commit");  // the crash tests' kill point
  commit_transaction();
  committed_ += pending_;
  pending_ = 0;
}

void StreamRun::check_stream(std::string_view ns, std::string_view stream) const {
  if (ns != plan_.source_ns || stream != plan_.name) {
    std::string got = ns.empty() ? std::string(stream) : std::string(ns) + "." + std::string(stream);
    throw PluginError(ErrorKind::internal,
                      "the plugin emitted data for stream " + got + " while reading " + plan_.display_name());
  }
}

std::string StreamRun::writer_error() const {
  std::lock_guard lock(error_mutex_);
  return writer_error_;
}

std::string StreamRun::mapper_error() const {
  std::lock_guard lock(error_mutex_);
  return mapper_error_;
}

double StreamRun::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void StreamRun::throw_if_stopped() const {
  if (cancel_flag_) throw RunCancelled{};
  if (writer_failed_) throw PluginError(ErrorKind::transient, "target failed: " + writer_error());
  if (mapper_failed_) throw PluginError(ErrorKind::source, mapper_error());
}

void StreamRun::records(std::string_view ns, std::string_view stream, std::string_view ndjson) {
  throw_if_stopped();
  check_stream(ns, stream);
  // Only a copy here: the plugin's thread goes straight back to reading.
  Emitted emitted{Emitted::Kind::records, std::string(ndjson), utc_now_iso(), {}};
  if (!parse_queue_.push(std::move(emitted))) throw_if_stopped();
}

void StreamRun::record_batch(std::string_view ns, std::string_view stream, const sluice_record_batch* batch) {
  throw_if_stopped();
  check_stream(ns, stream);
  Emitted emitted{Emitted::Kind::cells, {}, utc_now_iso(), copy_record_batch(batch)};
  if (!parse_queue_.push(std::move(emitted))) throw_if_stopped();
}

void StreamRun::state(std::string_view ns, std::string_view stream, std::string_view state_json) {
  throw_if_stopped();
  check_stream(ns, stream);
  if (!parse_queue_.push(Emitted{Emitted::Kind::state, std::string(state_json), {}, {}})) throw_if_stopped();
}

void StreamRun::mapper_loop() {
  while (auto emitted = parse_queue_.pop()) {
    if (emitted->kind == Emitted::Kind::end) {
      WorkItem end;
      end.kind = WorkItem::Kind::end;
      queue_.push(std::move(end));
      break;
    }
    try {
      map_one(*emitted);
    } catch (const std::exception& e) {  // BadRecord, PluginError(source), bad_alloc
      fail_mapping(e.what());
    }
    if (mapper_failed_) break;
  }
  // Without an end marker the writer commits the checkpoints it was given
  // and rolls back the rest.
  queue_.close();
}

void StreamRun::map_one(Emitted& emitted) {
  WorkItem item;
  if (emitted.kind == Emitted::Kind::records || emitted.kind == Emitted::Kind::cells) {
    if (emitted.kind == Emitted::Kind::records) {
      item.batch = mapper_->map(emitted.text, emitted.extracted_at);
      received_bytes_ += emitted.text.size();
    } else {
      item.batch = mapper_->map_cells(emitted.cells, emitted.extracted_at);
      received_bytes_ += emitted.cells.text.size() + emitted.cells.cells.size() * sizeof(sluice_cell);
    }
    require_keys(item.batch);
    received_ += item.batch.rows;
    listener_.stream_progress(plan_, received_, received_bytes_, elapsed());
  } else {
    json::error_code ec;
    const json::value checkpoint = json::parse(emitted.text, ec);
    if (ec) throw PluginError(ErrorKind::source, "a checkpoint is not valid JSON");
    if (emitted.text.size() > kStateWarnBytes && !state_size_warned_) {
      state_size_warned_ = true;
      listener_.log(SLUICE_LOG_WARN, "stream " + plan_.display_name() + ": state is " +
                                         std::to_string(emitted.text.size() / 1024) +
                                         " KiB, past the 1 MiB a checkpoint should need; it is saved "
                                         "with every commit, so the plugin should keep it small");
    }
    item.kind = WorkItem::Kind::state;
    item.resume_point = full_refresh_ && is_resume_point(checkpoint);
    item.state_json = std::move(emitted.text);
  }
  // A closed queue means the writer failed; run() reports that.
  queue_.push(std::move(item));
}

void StreamRun::fail_mapping(const std::string& message) {
  {
    std::lock_guard lock(error_mutex_);
    mapper_error_ = message;
  }
  mapper_failed_ = true;
  // Nothing emitted after the refused batch may reach the target, and a
  // plugin blocked on a full queue must wake up to be told.
  parse_queue_.abandon();
}

void StreamRun::log(int32_t level, std::string_view message) { listener_.log(level, message); }

StreamOutcome StreamRun::run(PluginSession& session, const std::optional<std::string>& saved_state) {
  StreamOutcome outcome;
  outcome.stream = plan_.display_name();
  outcome.table = plan_.table.display();
  outcome.mode = plan_.mode;
  started_ = std::chrono::steady_clock::now();
  listener_.stream_started(plan_);

  std::string read_error;
  std::string read_error_kind;
  bool was_cancelled = false;
  try {
    // DDL writes too: on a single-writer engine it waits for its turn.
    std::unique_lock<std::mutex> turn;
    if (write_turn_) turn = std::unique_lock(*write_turn_);
    prepare_tables();
  } catch (const std::exception& e) {
    outcome.status = RunStatus::failed;
    outcome.error = e.what();
    outcome.error_kind = "target";
    outcome.seconds = elapsed();
    listener_.stream_finished(plan_, outcome);
    return outcome;
  }

  std::thread writer([this] { writer_loop(); });
  std::thread mapper([this] { mapper_loop(); });
  try {
    session.read(configured_catalog_json(), state_document(saved_state), *this);
    parse_queue_.push(Emitted{Emitted::Kind::end, {}, {}, {}});
  } catch (const RunCancelled&) {
    was_cancelled = true;
  } catch (const PluginError& e) {
    read_error = e.what();
    read_error_kind = to_string(e.kind());
  } catch (const std::exception& e) {
    read_error = e.what();
    read_error_kind = to_string(ErrorKind::internal);
  }
  // Without an end marker the writer still commits every checkpoint the
  // plugin emitted (each was accepted: its records are covered) and rolls
  // back only the records after the last one.
  parse_queue_.close();
  mapper.join();
  writer.join();

  outcome.records = committed_;
  outcome.seconds = elapsed();
  if (writer_failed_) {
    outcome.status = RunStatus::failed;
    outcome.error = "target " + target_.display_url() + ": " + writer_error();
    outcome.error_kind = "target";
  } else if (was_cancelled || (cancel_flag_ && !writer_finished_)) {
    outcome.status = RunStatus::cancelled;
    outcome.error = "cancelled; the target keeps everything up to the last checkpoint";
    outcome.error_kind = "cancelled";
  } else if (mapper_failed_) {
    // The plugin's words for a refused record, whether or not its read()
    // saw the refusal (a bad last batch is refused after read() returned).
    outcome.status = RunStatus::failed;
    outcome.error = session.plugin().name() + " read: " + mapper_error();
    outcome.error_kind = to_string(ErrorKind::source);
  } else if (!read_error.empty()) {
    outcome.status = RunStatus::failed;
    outcome.error = read_error;
    outcome.error_kind = read_error_kind;
  } else if (!writer_finished_) {
    outcome.status = RunStatus::failed;
    outcome.error = "the stream did not complete";
    outcome.error_kind = to_string(ErrorKind::internal);
  } else {
    outcome.status = RunStatus::succeeded;
    if (uncommitted_at_end_ > 0 && !full_refresh_) {
      listener_.log(SLUICE_LOG_WARN, "stream " + plan_.display_name() + ": " + std::to_string(uncommitted_at_end_) +
                                         " records came after the last checkpoint; they are committed, but "
                                         "the next run starts from that checkpoint and may read them again");
    }
  }
  for (const auto& [field, count] : mapper_->uncast_fields()) {
    listener_.log(SLUICE_LOG_WARN, "stream " + plan_.display_name() + ": " + std::to_string(count) +
                                       " value(s) of field " + field +
                                       " did not fit the column type; kept losslessly in _sluice_uncast");
  }
  listener_.stream_finished(plan_, outcome);
  return outcome;
}

}  // namespace sluice::host
