#include "host/ingest/ingest_writer.hpp"

#include <sluice/support/timestamp.hpp>

#include <unordered_map>

namespace sluice::host {

namespace json = boost::json;

const IngestTable& IngestSession::prepare(const IngestStream& stream) {
  const std::string key = json::serialize(ingest_stream_json(stream));
  if (auto found = prepared_.find(key); found != prepared_.end()) return found->second;
  IngestTable table = ingest_table(stream, target_->max_identifier_bytes());
  // Another request or host may create the table or its index at the same
  // moment: the loser's DDL fails, and the second look finds them.
  for (int attempt = 1;; ++attempt) {
    try {
      if (auto existing = target_->table_columns(table.table)) {
        for (auto& column : table.columns) {
          bool present = false;
          for (const auto& have : *existing) {
            if (have.name != column.name) continue;
            present = true;
            column.type = have.type;
          }
          if (!present) target_->add_column(table.table, column);
        }
      } else {
        target_->create_table(table.table, table.columns);
      }
      target_->ensure_unique_key(table.table, {table.columns[table.id_column].name});
      break;
    } catch (const TargetError&) {
      if (attempt == 2) throw;
      table = ingest_table(stream, target_->max_identifier_bytes());
    }
  }
  return prepared_.emplace(key, std::move(table)).first->second;
}

namespace {

// A transaction the engine chose as a deadlock victim (InnoDB's gap locks
// can still cross between two inserts of overlapping keys): it rolled back
// whole, so it can simply run again.
bool is_deadlock(const TargetError& e) {
  const std::string text = e.what();
  return text.find("Deadlock found") != std::string::npos || text.find("deadlock detected") != std::string::npos;
}

constexpr int kDeadlockAttempts = 5;

}  // namespace

void IngestSession::write(const IngestTable& table, EventBatch& batch, const std::string& request_id) {
  for (int attempt = 1;; ++attempt) {
    try {
      write_once(table, batch, request_id);
      return;
    } catch (const TargetError& e) {
      if (attempt == kDeadlockAttempts || !is_deadlock(e)) throw;
    }
  }
}

void IngestSession::write_once(const IngestTable& table, EventBatch& batch, const std::string& request_id) {
  if (batch.rows.rows == 0) return;
  const std::string& id_column = table.columns[table.id_column].name;
  std::unordered_map<std::string, std::pair<std::string, std::string>> stored;  // id -> (request, received)
  target_->begin();
  try {
    if (!writer_ || writer_table_ != table.table.display()) {
      writer_.reset();
      WriteOptions options;
      options.keep_existing = true;
      options.key_columns = {id_column};
      writer_ = target_->writer(table.table, table.columns, options);
      writer_table_ = table.table.display();
    }
    writer_->write(batch.rows);
    for (auto& row : target_->rows_by_key(table.table, id_column, batch.row_key,
                                          {kSyncIdColumn, kExtractedAtColumn})) {
      stored[row[0].value_or("")] = {row[1].value_or(""), row[2].value_or("")};
    }
    target_->commit();
  } catch (...) {
    writer_.reset();
    try {
      target_->rollback();
    } catch (const std::exception&) {
      // The session is dropped by the caller; the first error is the one to tell.
    }
    throw;
  }
  for (size_t r = 0; r < batch.row_key.size(); ++r) {
    EventOutcome& outcome = batch.outcomes[batch.row_event[r]];
    auto found = stored.find(batch.row_key[r]);
    if (found == stored.end()) {
      throw TargetError(std::string(target_->dialect().engine) + ": event " + batch.row_key[r] +
                        " is neither stored nor refused by " + table.table.display());
    }
    if (found->second.first == request_id) continue;  // accepted: this request stored it
    outcome.status = EventStatus::duplicate;
    outcome.late = false;
    // Each engine prints its instants its own way; one form in answers.
    const auto at = support::parse_rfc3339(found->second.second);
    outcome.first_received_at = at ? support::format_rfc3339(*at, 6) : found->second.second;
  }
}

std::unique_ptr<IngestSession> IngestPool::acquire(const std::string& url) {
  {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[url];
    if (!idle.empty()) {
      auto session = std::move(idle.back());
      idle.pop_back();
      return session;
    }
  }
  return std::make_unique<IngestSession>(opener_(url));
}

void IngestPool::release(const std::string& url, std::unique_ptr<IngestSession> session) {
  std::lock_guard lock(mutex_);
  auto& idle = idle_[url];
  if (idle.size() < max_idle_) idle.push_back(std::move(session));
}

}  // namespace sluice::host
