#include "table_reader.hpp"

#include "sql_common/identifiers.hpp"
#include "record_text.hpp"
#include "sql_common/row_queue.hpp"

#include <sluice/support/keyset.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace postgres {

namespace {

constexpr size_t kChunkRecords = 2000;

std::string value_of(const PGresult& result, int column) {
  return PQgetisnull(&result, 0, column) ? std::string() : std::string(PQgetvalue(&result, 0, column));
}

// The single integer key column whose range splits a table, or "".
std::string split_key(const Table& table) {
  if (table.primary_key.size() != 1) return "";
  for (const auto& column : table.columns) {
    if (column.name == table.primary_key[0] && column.kind == Kind::integer) return column.name;
  }
  return "";
}

}  // namespace

std::vector<Range> plan_ranges(Session& leader, const Table& table, const Settings& settings, std::string& key_column,
                               const std::string& as_of) {
  const std::string what = "planning the read of " + table.schema + "." + table.name;
  const bool has_blocks = leader.flavor() == Flavor::postgres && (table.relkind == 'r' || table.relkind == 'm');
  if (has_blocks) {
    Result size = leader.exec(table_size_sql(), what, {table.schema, table.name});
    if (PQntuples(size.get()) == 1) {
      const int64_t blocks = std::stoll(value_of(*size, 0));
      const int64_t tuples = std::stoll(value_of(*size, 1));
      // Never analysed (reltuples -1 or 0): assume about 100 rows a block.
      const int64_t per_block = tuples > 0 && blocks > 0 ? std::max<int64_t>(tuples / blocks, 1) : 100;
      return block_ranges(blocks, std::max<int64_t>(settings.chunk_rows / per_block, 1));
    }
  }
  key_column = split_key(table);
  if (key_column.empty()) return {Range{}};
  Result bounds = leader.exec(key_bounds_sql(leader.flavor(), table.schema, table.name, key_column, as_of), what);
  const std::string min = value_of(*bounds, 0), max = value_of(*bounds, 1);
  if (min.empty() || max.empty()) return {Range{}};
  const int64_t count = std::stoll(value_of(*bounds, 2));
  return key_ranges(std::stoll(min), std::stoll(max), (count + settings.chunk_rows - 1) / settings.chunk_rows);
}

void read_full_refresh(Session& leader, const Settings& settings, const sluice::Logger& log, const Table& table,
                       sluice::ReadContext& ctx) {
  const std::string name = sql_common::printable(table.schema) + "." + sql_common::printable(table.name);
  const Flavor flavor = leader.flavor();
  if (const std::string begin = begin_snapshot_sql(flavor); !begin.empty()) {
    leader.exec(begin, "opening a snapshot to read " + name);
  }
  std::string snapshot;
  if (auto sql = export_snapshot_sql(flavor)) {
    Result id = leader.exec(*sql, "exporting the snapshot of " + name);
    snapshot = value_of(*id, 0);
  }
  const std::string as_of = flavor == Flavor::cockroachdb ? snapshot : std::string();
  std::string key_column;
  const std::vector<Range> ranges = plan_ranges(leader, table, settings, key_column, as_of);

  // Redshift cannot share a snapshot: its ranges run one after another.
  size_t workers = std::min(settings.parallelism, ranges.size());
  if (snapshot.empty()) workers = 1;
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<Session>> sessions;
  for (size_t i = 1; i < workers; ++i) {
    auto session = std::make_unique<Session>(settings, log, flavor, &stop);
    if (flavor == Flavor::postgres) {
      session->exec(begin_snapshot_sql(flavor) + "; " + import_snapshot_sql(snapshot),
                    "joining the snapshot of " + name);
    }
    sessions.push_back(std::move(session));
  }
  log.info("reading " + name + " in " + std::to_string(ranges.size()) + " range(s) on " + std::to_string(workers) +
           " connection(s)");

  sql_common::RowQueue queue(2 * workers + 2);
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&](Session& session) {
    try {
      const RecordText records(table.columns);
      std::vector<std::optional<std::string_view>> fields;
      std::vector<std::string> storage;
      sql_common::RecordChunk chunk;
      auto ship = [&] {
        if (chunk.size() == 0) return;
        if (!queue.push(std::move(chunk))) throw sluice::Cancelled();
        chunk = {};
      };
      for (size_t i = next++; i < ranges.size() && !stop; i = next++) {
        const std::string sql = range_read_sql(flavor, table.schema, table.name, table.columns, ranges[i], key_column, as_of);
        const std::string what = "reading " + name + " (range " + std::to_string(i + 1) + " of " +
                                 std::to_string(ranges.size()) + ")";
        if (reads_with_copy(flavor)) {
          session.copy_out(sql, what, [&](std::string_view line) {
            if (!split_copy_line(line, table.columns.size(), fields, storage)) {
              throw sluice::Error(sluice::ErrorKind::source, what + ": a COPY row does not have " +
                                                                 std::to_string(table.columns.size()) + " fields");
            }
            records.append(chunk.text, fields);
            chunk.end_record();
            if (chunk.size() >= kChunkRecords) ship();
          });
        } else {
          session.stream_rows(sql, {}, what, [&](const PGresult& row) {
            fields.clear();
            for (int c = 0; c < PQnfields(&row); ++c) {
              fields.emplace_back(PQgetisnull(&row, 0, c) ? std::nullopt
                                                          : std::optional<std::string_view>(PQgetvalue(&row, 0, c)));
            }
            records.append(chunk.text, fields);
            chunk.end_record();
            if (chunk.size() >= kChunkRecords) ship();
          });
        }
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
  for (auto& session : sessions) threads.emplace_back(work, std::ref(*session));
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
  if (flavor != Flavor::cockroachdb) leader.exec("COMMIT", "ending the snapshot of " + name);
}

void read_incremental(Session& session, const Table& table, const Settings& settings, sluice::ReadContext& ctx) {
  const auto& stream = ctx.stream();
  const std::string name = sql_common::printable(table.schema) + "." + sql_common::printable(table.name);
  sluice::support::KeysetRead keyset = sluice::support::plan_keyset_read(stream);
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
  }
  Params params;
  const std::string condition = sluice::support::keyset_condition(
      keyset, [](const std::string& column) { return quote_name(column, "column"); },
      [&](const std::string& param) {
        const auto found = std::find_if(keyset.params.begin(), keyset.params.end(),
                                        [&](const auto& p) { return p.name == param; });
        const auto& value = found->value;
        params.push_back(value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value));
        return "$" + std::to_string(params.size());
      });
  session.exec(begin_read_sql(session.flavor()), "opening a snapshot to read " + name);
  const std::string sql =
      incremental_sql(session.flavor(), table.schema, table.name, table.columns, condition, keyset.order_by);

  const RecordText records(table.columns);
  const int width = static_cast<int>(table.columns.size());
  std::vector<std::optional<std::string_view>> fields;
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
  session.stream_rows(sql, params, "reading " + name, [&](const PGresult& row) {
    fields.clear();
    for (int c = 0; c < width; ++c) {
      fields.emplace_back(PQgetisnull(&row, 0, c) ? std::nullopt
                                                  : std::optional<std::string_view>(PQgetvalue(&row, 0, c)));
    }
    record.clear();
    records.append(record, fields);
    ctx.emit_serialized(record);
    for (size_t i = 0; i < last.size(); ++i) {
      const int c = width + static_cast<int>(i);
      last[i] = PQgetisnull(&row, 0, c) ? boost::json::value(nullptr) : boost::json::value(PQgetvalue(&row, 0, c));
    }
    ++done;
    if (++since_checkpoint >= settings.chunk_rows) checkpoint();
  });
  checkpoint();
  session.exec("COMMIT", "ending the read of " + name);
}

}  // namespace postgres
