#include "table_reader.hpp"

#include "record_text.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/row_queue.hpp"

#include <sluice/support/keyset.hpp>

#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace mysql_source {

namespace {

constexpr size_t kChunkRecords = 2000;

std::string split_key(const Table& table) {
  if (table.primary_key.size() != 1) return "";
  for (const auto& column : table.columns) {
    if (column.name == table.primary_key[0] && column.kind == Kind::integer &&
        column.type.find("unsigned") == std::string::npos) {
      return column.name;
    }
  }
  return "";
}

// Warns once per column of a stream that holds zero dates.
class ZeroDates {
 public:
  explicit ZeroDates(const sluice::Logger& log) : log_(log) {}
  void found(const Table& table, const Row& row) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
      const auto& column = table.columns[i];
      if (!row[i] || warned_.count(i)) continue;
      const auto kind = column.kind;
      if (kind != Kind::date && kind != Kind::datetime && kind != Kind::timestamp) continue;
      std::string_view text = *row[i];
      if (text.size() >= 10 && (text.substr(0, 4) == "0000" || text.substr(5, 2) == "00" || text.substr(8, 2) == "00")) {
        warned_.insert(i);
        log_.warn("column " + sql_common::printable(column.name) + " of " + sql_common::printable(table.name) +
                  " holds zero dates ('" + std::string(text) + "'), which name no day: they are kept as that text");
      }
    }
  }

 private:
  const sluice::Logger& log_;
  std::mutex mutex_;
  std::set<size_t> warned_;
};

}  // namespace

void read_full_refresh(Session& leader, const Settings& settings, const sluice::Logger& log, const Table& table,
                       sluice::ReadContext& ctx) {
  const std::string name = sql_common::printable(table.database) + "." + sql_common::printable(table.name);
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<Session>> sessions;
  const std::string key_column = split_key(table);
  size_t workers = key_column.empty() ? 1 : settings.parallelism;
  if (workers > 1) {
    // Align the snapshots under a table lock held by a connection of its own.
    Session locker(settings, log);
    try {
      // FLUSH TABLES ... WITH READ LOCK is refused in a read-only session.
      locker.exec("SET SESSION TRANSACTION READ WRITE", "preparing to align snapshots");
      locker.exec(lock_for_snapshot_sql(table.database, table.name), "locking " + name + " to align snapshots");
      leader.exec(kBeginSnapshot, "opening a snapshot to read " + name);
      for (size_t i = 1; i < workers; ++i) {
        sessions.push_back(std::make_unique<Session>(settings, log, &stop));
        sessions.back()->exec(kBeginSnapshot, "opening a snapshot to read " + name);
      }
      locker.exec("UNLOCK TABLES", "unlocking " + name);
    } catch (const sluice::Error& error) {
      if (error.kind() != sluice::ErrorKind::auth) throw;
      log.warn(std::string(error.what()) + "; reading with one connection");
      sessions.clear();
      workers = 1;
    }
  }
  if (workers == 1) leader.exec(kBeginSnapshot, "opening a snapshot to read " + name);

  std::vector<sql_common::KeyRange> ranges{{}};
  if (!key_column.empty()) {
    std::string min, max, count;
    leader.stream_text(key_bounds_sql(table.database, table.name, key_column), "planning the read of " + name,
                       [&](const Row& row) {
                         min = row[0] ? std::string(*row[0]) : "";
                         max = row[1] ? std::string(*row[1]) : "";
                         count = row[2] ? std::string(*row[2]) : "0";
                       });
    if (!min.empty() && !max.empty()) {
      ranges = sql_common::key_ranges(std::stoll(min), std::stoll(max),
                                      (std::stoll(count) + settings.chunk_rows - 1) / settings.chunk_rows);
    }
  }
  workers = std::min(workers, ranges.size());
  log.info("reading " + name + " in " + std::to_string(ranges.size()) + " range(s) on " + std::to_string(workers) +
           " connection(s)");

  ZeroDates zero_dates(log);
  sql_common::RowQueue queue(2 * workers + 2);
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&](Session& session) {
    try {
      const RecordText records(table.columns);
      sql_common::RecordChunk chunk;
      auto ship = [&] {
        if (chunk.size() == 0) return;
        if (!queue.push(std::move(chunk))) throw sluice::Cancelled();
        chunk = {};
      };
      for (size_t i = next++; i < ranges.size() && !stop; i = next++) {
        const std::string what = "reading " + name + " (range " + std::to_string(i + 1) + " of " +
                                 std::to_string(ranges.size()) + ")";
        session.stream_text(range_read_sql(table.database, table.name, table.columns, ranges[i], key_column), what,
                            [&](const Row& row) {
                              if (!records.append(chunk.text, row)) zero_dates.found(table, row);
                              chunk.end_record();
                              if (chunk.size() >= kChunkRecords) ship();
                            });
        ship();
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error && !stop) error = std::current_exception();
      stop = true;
      queue.close();
    }
    queue.producer_done();
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers; ++i) queue.add_producer();
  threads.emplace_back(work, std::ref(leader));
  for (size_t i = 0; i + 1 < workers; ++i) threads.emplace_back(work, std::ref(*sessions[i]));
  int64_t done = 0;
  try {
    while (auto chunk = queue.pop()) {
      for (size_t i = 0; i < chunk->size(); ++i) ctx.emit_serialized(chunk->record(i));
      done += static_cast<int64_t>(chunk->size());
      ctx.flush();
      ctx.progress(done);
    }
  } catch (...) {
    stop = true;
    queue.close();
    for (auto& thread : threads) thread.join();
    throw;
  }
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
  if (stop) throw sluice::Cancelled();
  leader.exec("COMMIT", "ending the snapshot of " + name);
}

void read_incremental(Session& session, const Table& table, const Settings& settings, sluice::ReadContext& ctx) {
  const std::string name = sql_common::printable(table.database) + "." + sql_common::printable(table.name);
  sluice::support::KeysetRead keyset = sluice::support::plan_keyset_read(ctx.stream());
  std::vector<Kind> kinds;
  for (size_t i = 0; i < keyset.order_by.size(); ++i) {
    const std::string role = i == 0 ? "cursor_field" : "primary_key column";
    const std::string& column = keyset.order_by[i];
    const auto found = std::find_if(table.columns.begin(), table.columns.end(),
                                    [&](const Column& c) { return c.name == column; });
    if (found == table.columns.end()) {
      throw sluice::Error(sluice::ErrorKind::config,
                          role + " " + sql_common::printable(column) + " is not a column of " + name);
    }
    if (!orderable(found->kind)) {
      throw sluice::Error(sluice::ErrorKind::config, role + " " + sql_common::printable(column) + " has type " +
                                                         found->type + ", which cannot order rows");
    }
    kinds.push_back(found->kind);
  }
  std::vector<std::string> params;
  const std::string condition = sluice::support::keyset_condition(
      keyset, [](const std::string& column) { return quote_name(column, "column"); },
      [&](const std::string& param) {
        const auto found = std::find_if(keyset.params.begin(), keyset.params.end(),
                                        [&](const auto& p) { return p.name == param; });
        const auto& value = found->value;
        params.push_back(value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value));
        const size_t column = static_cast<size_t>(
            std::find(keyset.order_by.begin(), keyset.order_by.end(), found->column) - keyset.order_by.begin());
        return placeholder_for(kinds[column]);
      });
  session.exec(kBeginSnapshot, "opening a snapshot to read " + name);
  const RecordText records(table.columns);
  ZeroDates zero_dates(ctx);
  const size_t width = table.columns.size();
  std::vector<boost::json::value> last(keyset.order_by.size());
  std::string record;
  int64_t done = 0, since_checkpoint = 0;
  auto checkpoint = [&] {
    if (since_checkpoint == 0) return;
    if (auto state = sluice::support::keyset_checkpoint(keyset, last)) {
      ctx.checkpoint(*state);
    } else {
      ctx.flush();
    }
    since_checkpoint = 0;
    ctx.progress(done);
  };
  session.stream_prepared(
      incremental_sql(table.database, table.name, table.columns, condition, keyset.order_by), params, "reading " + name,
      [&](const Row& row) {
        record.clear();
        if (!records.append(record, row)) zero_dates.found(table, row);
        ctx.emit_serialized(record);
        for (size_t i = 0; i < last.size(); ++i) {
          const auto& cell = row[width + i];
          last[i] = cell ? boost::json::value(boost::json::string(*cell)) : boost::json::value(nullptr);
        }
        ++done;
        if (++since_checkpoint >= settings.chunk_rows) checkpoint();
      });
  checkpoint();
  session.exec("COMMIT", "ending the read of " + name);
}

}  // namespace mysql_source
