#include "table_reader.hpp"

#include "record_text.hpp"

#include "sql_common/identifiers.hpp"
#include "sql_common/keyset_read.hpp"
#include "sql_common/parallel_ranges.hpp"
#include "sql_common/range_resume.hpp"
#include "sql_common/sql_text.hpp"


#include <algorithm>
#include <memory>
#include <mutex>
#include <set>

namespace mysql_source {

namespace {

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
  leader.stop_when(&stop);
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
  const auto resumed = sql_common::ranges_to_resume(ctx.stream(), key_column, name);
  if (resumed) {
    ranges = *resumed;
  } else if (!key_column.empty()) {
    // The row count only sets how many ranges split the keys, so the
    // engine's estimate does: COUNT(*) would read a large table's index
    // whole before the read. No estimate (a view, or 0 rows said): counted.
    const std::string what = "planning the read of " + name;
    std::string estimate;
    leader.stream_prepared(table_rows_sql(), {table.database, table.name}, what, [&](const Row& row) {
      estimate = row[0] ? std::string(*row[0]) : "";
    });
    const bool estimated = !estimate.empty() && estimate != "0";
    std::string min, max, count = estimate;
    leader.stream_text(key_bounds_sql(table.database, table.name, key_column, !estimated), what,
                       [&](const Row& row) {
                         min = row[0] ? std::string(*row[0]) : "";
                         max = row[1] ? std::string(*row[1]) : "";
                         if (!estimated) count = row[2] ? std::string(*row[2]) : "0";
                       });
    if (!min.empty() && !max.empty()) {
      ranges = sql_common::key_ranges(std::stoll(min), std::stoll(max),
                                      (std::stoll(count) + settings.chunk_rows - 1) / settings.chunk_rows);
    }
  }
  workers = std::min(workers, ranges.size());
  log.info(std::string(resumed ? "resuming the read of " : "reading ") + name + " in " +
           std::to_string(ranges.size()) + (resumed ? " unfinished" : "") + " range(s) on " + std::to_string(workers) +
           " connection(s)");
  // Key ranges are resumable: a resume point after each range read.
  std::optional<sql_common::RangeResume> resume;
  size_t key_index = 0;
  if (!key_column.empty()) {
    resume.emplace(key_column, ranges);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].name == key_column) key_index = c;
    }
  }

  ZeroDates zero_dates(log);
  std::vector<Session*> connections{&leader};
  for (auto& session : sessions) connections.push_back(session.get());
  const RecordText records(table.columns);
  sql_common::read_ranges(workers, ranges.size(), stop, ctx, [&](size_t worker, size_t i, sql_common::ChunkSink& sink) {
    const std::string what =
        "reading " + name + " (range " + std::to_string(i + 1) + " of " + std::to_string(ranges.size()) + ")";
    connections[worker]->stream_text(range_read_sql(table.database, table.name, table.columns, ranges[i], key_column),
                                     what, [&](const Row& row) {
                                       if (resume && row[key_index]) sink.set_position(*row[key_index]);
                                       if (!records.append(sink.text(), row)) zero_dates.found(table, row);
                                       sink.end_record();
                                     });
  }, [&](size_t range, const std::string& position, bool range_end) {
    if (!resume) return;
    resume->emitted(range, position, range_end);
    if (range_end) ctx.checkpoint(resume->checkpoint());
  });
  leader.exec("COMMIT", "ending the snapshot of " + name);
}

void read_incremental(Session& session, const Table& table, const Settings& settings, sluice::ReadContext& ctx) {
  const std::string name = sql_common::printable(table.database) + "." + sql_common::printable(table.name);
  const auto plan = sql_common::plan_keyset(
      ctx.stream(), sql_common::column_names(table.columns), name,
      [&](size_t column) {
        const auto& c = table.columns[column];
        return orderable(c.kind) ? std::nullopt : std::optional<std::string>(c.type);
      },
      [](const std::string& column) { return quote_name(column, "column"); },
      [&](size_t column, size_t) { return placeholder_for(table.columns[column].kind); });
  session.exec(kBeginSnapshot, "opening a snapshot to read " + name);
  const RecordText records(table.columns);
  ZeroDates zero_dates(ctx);
  const size_t width = table.columns.size();
  Row order_values;
  std::string record;
  sql_common::KeysetCheckpoints checkpoints(ctx, plan.keyset, settings.chunk_rows);
  session.stream_prepared(
      incremental_sql(table.database, table.name, table.columns, plan.condition, plan.keyset.order_by), plan.params,
      "reading " + name, [&](const Row& row) {
        record.clear();
        if (!records.append(record, row)) zero_dates.found(table, row);
        ctx.emit_serialized(record);
        order_values.assign(row.begin() + static_cast<std::ptrdiff_t>(width), row.end());
        checkpoints.row_emitted(order_values);
      });
  checkpoints.finish();
  session.exec("COMMIT", "ending the read of " + name);
}

}  // namespace mysql_source
