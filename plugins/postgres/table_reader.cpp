#include "table_reader.hpp"

#include "sql_common/identifiers.hpp"
#include "record_text.hpp"
#include "sql_common/keyset_read.hpp"
#include "sql_common/parallel_ranges.hpp"
#include "sql_common/range_resume.hpp"
#include "sql_common/sql_text.hpp"


#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <utility>

namespace postgres {

namespace {

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

// For a table with the xmin pseudo-column: sets its expression against the
// current snapshot and returns the snapshot's xmin, epoch-extended (every
// transaction below it is over: the next xmin read starts there). -1 without.
int64_t prepare_xmin(Session& session, Table& table, const std::string& name) {
  auto found = std::find_if(table.columns.begin(), table.columns.end(), [](const Column& c) { return c.base == "xmin"; });
  if (found == table.columns.end()) return -1;
  Result bounds = session.exec(snapshot_bounds_sql(), "reading the snapshot's transaction ids for " + name);
  found->expression = xmin64_sql(std::stoll(value_of(*bounds, 1)));
  return std::stoll(value_of(*bounds, 0));
}

// An incremental read by xmin: every row whose transaction is at or above
// the last checkpoint's snapshot xmin, then a checkpoint at this snapshot's
// xmin. Rows of transactions that were running at the last read are read
// again (append_dedup keeps each once); deletes are never seen.
void read_by_xmin(Session& session, Table table, const std::string& name, sluice::ReadContext& ctx) {
  const auto& stream = ctx.stream();
  const auto* state = stream.state.if_object();
  const auto* saved = state ? state->if_contains("xmin") : nullptr;
  if (state && !state->empty() && (!saved || !saved->is_string())) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "the saved state is not an xmin checkpoint; reset it with `sluice state reset CONNECTION "
                        "--stream " + stream.ns + "." + stream.name + "`");
  }
  session.exec(begin_read_sql(session.flavor()), "opening a snapshot to read " + name);
  const int64_t snapshot_xmin = prepare_xmin(session, table, name);
  const auto xmin = std::find_if(table.columns.begin(), table.columns.end(), [](const Column& c) { return c.base == "xmin"; });
  std::string sql = "SELECT " + select_list(table.columns, session.flavor()) + " FROM " + quote_table(table.schema, table.name);
  Params params;
  if (saved) {
    sql += " WHERE " + xmin->expression + " >= $1::bigint";
    params.push_back(std::string(saved->get_string()));
  }
  const RecordText records(table.columns);
  std::vector<std::optional<std::string_view>> fields;
  std::string record;
  int64_t done = 0;
  session.stream_rows(sql, params, "reading " + name, [&](const PGresult& row) {
    fields.clear();
    for (int c = 0; c < PQnfields(&row); ++c) {
      fields.push_back(PQgetisnull(&row, 0, c) ? std::nullopt : std::optional<std::string_view>(PQgetvalue(&row, 0, c)));
    }
    record.clear();
    records.append(record, fields);
    ctx.emit_serialized(record);
    if (++done % 100000 == 0) ctx.progress(done);
  });
  ctx.checkpoint(boost::json::object{{"cursor_field", kXminColumn}, {"xmin", std::to_string(snapshot_xmin)}});
  session.exec("COMMIT", "ending the read of " + name);
}

}  // namespace

std::vector<Range> plan_ranges(Session& leader, const Table& table, const Settings& settings, std::string& key_column,
                               const std::string& as_of) {
  const std::string what = "planning the read of " + table.schema + "." + table.name;
  // A single integer key splits every flavor's tables, in ranges a resume
  // point can name across snapshots; CTID blocks only for tables without.
  key_column = split_key(table);
  // PostgreSQL's statistics: pages and estimated rows (nullopt elsewhere).
  std::optional<std::pair<int64_t, int64_t>> size;
  if (leader.flavor() == Flavor::postgres) {
    Result sizes = leader.exec(table_size_sql(), what, {table.schema, table.name});
    if (PQntuples(sizes.get()) == 1) size.emplace(std::stoll(value_of(*sizes, 0)), std::stoll(value_of(*sizes, 1)));
  }
  if (!key_column.empty()) {
    // The row count only sets how many ranges split the keys, so an
    // estimate does: count(*) would scan a large table once more before
    // the read. A table never analysed (reltuples -1, or 0 with pages, or
    // a partitioned parent with none) is counted.
    const bool estimated = size && size->second > 0;
    Result bounds = leader.exec(
        key_bounds_sql(leader.flavor(), table.schema, table.name, key_column, as_of, !size.has_value()), what);
    const std::string min = value_of(*bounds, 0), max = value_of(*bounds, 1);
    if (min.empty() || max.empty()) return {Range{Range::By::key, std::nullopt, std::nullopt}};
    int64_t count = 0;
    if (!size) {
      count = std::stoll(value_of(*bounds, 2));
    } else if (estimated) {
      count = size->second;
    } else {
      Result counted = leader.exec(row_count_sql(table.schema, table.name), what);
      count = std::stoll(value_of(*counted, 0));
    }
    return key_ranges(std::stoll(min), std::stoll(max), (count + settings.chunk_rows - 1) / settings.chunk_rows);
  }
  const bool has_blocks = size && (table.relkind == 'r' || table.relkind == 'm');
  if (has_blocks) {
    const auto [blocks, tuples] = *size;
    // Never analysed (reltuples -1 or 0): assume about 100 rows a block.
    const int64_t per_block = tuples > 0 && blocks > 0 ? std::max<int64_t>(tuples / blocks, 1) : 100;
    return block_ranges(blocks, std::max<int64_t>(settings.chunk_rows / per_block, 1));
  }
  return {Range{}};
}


void read_full_refresh(Session& leader, const Settings& settings, const sluice::Logger& log, const Table& source,
                       sluice::ReadContext& ctx) {
  Table table = source;
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
  prepare_xmin(leader, table, name);
  std::string key_column;
  const auto resumed = sql_common::ranges_to_resume(ctx.stream(), split_key(table), name);
  std::vector<Range> ranges;
  if (resumed) {
    key_column = split_key(table);
    for (const auto& range : *resumed) ranges.push_back({Range::By::key, range.low, range.high});
  } else {
    ranges = plan_ranges(leader, table, settings, key_column, as_of);
  }
  // Key ranges are resumable: a resume point after each range read.
  std::optional<sql_common::RangeResume> resume;
  int key_index = -1;
  if (!ranges.empty() && ranges[0].by == Range::By::key) {
    std::vector<sql_common::KeyRange> keys;
    for (const auto& range : ranges) keys.push_back({range.low, range.high});
    resume.emplace(key_column, std::move(keys));
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].name == key_column) key_index = static_cast<int>(c);
    }
  }

  // Redshift cannot share a snapshot: its ranges run one after another.
  size_t workers = std::min(settings.parallelism, ranges.size());
  if (snapshot.empty()) workers = 1;
  std::atomic<bool> stop{false};
  leader.stop_when(&stop);
  std::vector<std::unique_ptr<Session>> sessions;
  for (size_t i = 1; i < workers; ++i) {
    auto session = std::make_unique<Session>(settings, log, flavor, &stop);
    if (flavor == Flavor::postgres) {
      session->exec(begin_snapshot_sql(flavor) + "; " + import_snapshot_sql(snapshot),
                    "joining the snapshot of " + name);
    }
    sessions.push_back(std::move(session));
  }
  log.info(std::string(resumed ? "resuming the read of " : "reading ") + name + " in " +
           std::to_string(ranges.size()) + (resumed ? " unfinished" : "") + " range(s) on " + std::to_string(workers) +
           " connection(s)");

  std::vector<Session*> connections{&leader};
  for (auto& session : sessions) connections.push_back(session.get());
  sql_common::read_ranges(workers, ranges.size(), stop, ctx, [&](size_t worker, size_t i, sql_common::ChunkSink& sink) {
    Session& session = *connections[worker];
    const RecordText records(table.columns);
    std::vector<std::optional<std::string_view>> fields;
    std::vector<std::string> storage;
    const std::string sql = range_read_sql(flavor, table.schema, table.name, table.columns, ranges[i], key_column, as_of);
    const std::string what =
        "reading " + name + " (range " + std::to_string(i + 1) + " of " + std::to_string(ranges.size()) + ")";
    if (reads_with_copy(flavor)) {
      session.copy_out(sql, what, [&](std::string_view line) {
        if (!split_copy_line(line, table.columns.size(), fields, storage)) {
          throw sluice::Error(sluice::ErrorKind::source,
                              what + ": a COPY row does not have " + std::to_string(table.columns.size()) + " fields");
        }
        if (key_index >= 0 && fields[static_cast<size_t>(key_index)]) sink.set_position(*fields[static_cast<size_t>(key_index)]);
        records.append(sink.text(), fields);
        sink.end_record();
      });
    } else {
      session.stream_rows(sql, {}, what, [&](const PGresult& row) {
        fields.clear();
        for (int c = 0; c < PQnfields(&row); ++c) {
          fields.emplace_back(PQgetisnull(&row, 0, c) ? std::nullopt
                                                      : std::optional<std::string_view>(PQgetvalue(&row, 0, c)));
        }
        if (key_index >= 0 && fields[static_cast<size_t>(key_index)]) sink.set_position(*fields[static_cast<size_t>(key_index)]);
        records.append(sink.text(), fields);
        sink.end_record();
      });
    }
  }, [&](size_t range, const std::string& position, bool range_end) {
    if (!resume) return;
    resume->emitted(range, position, range_end);
    if (range_end) ctx.checkpoint(resume->checkpoint());
  });
  if (flavor != Flavor::cockroachdb) leader.exec("COMMIT", "ending the snapshot of " + name);
}

void read_incremental(Session& session, const Table& source, const Settings& settings, sluice::ReadContext& ctx) {
  Table table = source;
  const std::string name = sql_common::printable(table.schema) + "." + sql_common::printable(table.name);
  if (ctx.stream().cursor_field == sluice::FieldPath{kXminColumn} && !table.columns.empty() &&
      table.columns.back().base == "xmin") {
    read_by_xmin(session, table, name, ctx);
    return;
  }
  const auto plan = sql_common::plan_keyset(
      ctx.stream(), sql_common::column_names(table.columns), name,
      [&](size_t column) {
        const auto& c = table.columns[column];
        return orderable(c.kind) ? std::nullopt : std::optional<std::string>(c.type);
      },
      [](const std::string& column) { return quote_name(column, "column"); },
      [](size_t, size_t number) { return "$" + std::to_string(number); });
  session.exec(begin_read_sql(session.flavor()), "opening a snapshot to read " + name);
  prepare_xmin(session, table, name);
  const std::string sql =
      incremental_sql(session.flavor(), table.schema, table.name, table.columns, plan.condition, plan.keyset.order_by);
  const Params params(plan.params.begin(), plan.params.end());

  const RecordText records(table.columns);
  const int width = static_cast<int>(table.columns.size());
  std::vector<std::optional<std::string_view>> fields, order_values;
  std::string record;
  sql_common::KeysetCheckpoints checkpoints(ctx, plan.keyset, settings.chunk_rows);
  session.stream_rows(sql, params, "reading " + name, [&](const PGresult& row) {
    auto cell = [&](int c) {
      return PQgetisnull(&row, 0, c) ? std::nullopt : std::optional<std::string_view>(PQgetvalue(&row, 0, c));
    };
    fields.clear();
    for (int c = 0; c < width; ++c) fields.push_back(cell(c));
    record.clear();
    records.append(record, fields);
    ctx.emit_serialized(record);
    order_values.clear();
    for (int c = width; c < PQnfields(&row); ++c) order_values.push_back(cell(c));
    checkpoints.row_emitted(order_values);
  });
  checkpoints.finish();
  session.exec("COMMIT", "ending the read of " + name);
}

}  // namespace postgres
