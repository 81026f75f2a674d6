#include "host/ingest/backfill.hpp"

#include "host/target/kept_rows.hpp"

#include <algorithm>
#include <unordered_map>

namespace sluice::host {

namespace json = boost::json;

namespace {

std::string body_path(const std::string& path) { return path.rfind("$[", 0) == 0 ? "$.events" + path.substr(1) : path; }

std::optional<support::Timestamp> instant(const json::object& body, const char* key, std::vector<std::string>& errors) {
  const auto* value = body.if_contains(key);
  if (!value || value->is_null()) {
    errors.push_back(std::string(key) + ": required (an RFC 3339 date-time)");
    return std::nullopt;
  }
  std::optional<support::Timestamp> at;
  if (value->is_string()) at = support::parse_rfc3339(value->get_string());
  if (!at) errors.push_back(std::string(key) + ": expected an RFC 3339 date-time such as 2026-12-01T00:00:00Z");
  return at;
}

// The text a row's cell of the customer or id column compares by.
std::string cell_text(const RowBatch& rows, size_t row, size_t column) {
  const Cell& cell = rows.at(row, column);
  return cell.kind == Cell::Kind::integer ? std::to_string(cell.integer) : std::string(rows.text(cell));
}

}  // namespace

std::vector<std::string> parse_backfill_request(const json::object& body, const IngestStream& stream,
                                                BackfillRequest& out) {
  std::vector<std::string> errors;
  for (const auto& kv : body) {
    if (kv.key() != "from" && kv.key() != "to" && kv.key() != "customer" && kv.key() != "events") {
      errors.push_back(std::string(kv.key()) + ": unknown key");
    }
  }
  BackfillRequest request;
  const auto from = instant(body, "from", errors);
  const auto to = instant(body, "to", errors);
  if (from && to && !(*from < *to)) errors.push_back("to: must be after from (the range is [from, to))");
  if (from) request.from = *from;
  if (to) request.to = *to;
  if (const auto* customer = body.if_contains("customer"); customer && !customer->is_null()) {
    if (stream.customer_field.empty()) {
      errors.push_back("customer: the stream declares no customer_field");
    } else {
      const auto& property = stream.schema.at("properties").as_object().at(stream.customer_field);
      if (column_type_for(property) == ColumnType::integer) {
        if (customer->is_int64())
          request.customer = std::to_string(customer->get_int64());
        else
          errors.push_back("customer: expected an integer (the stream's customer field " + stream.customer_field +
                           " is one)");
      } else if (customer->is_string()) {
        request.customer = std::string(customer->get_string());
      } else {
        errors.push_back("customer: expected a string (the stream's customer field " + stream.customer_field +
                         " is one)");
      }
    }
  }
  const auto* events = body.if_contains("events");
  if (!events)
    errors.push_back("events: required (an array of events; [] removes the range's events)");
  else if (!events->is_array())
    errors.push_back("events: expected an array of events");
  else
    request.events = json::serialize(*events);
  if (errors.empty()) out = std::move(request);
  return errors;
}

EventBatch read_backfill_events(const BackfillRequest& request, const IngestStream& stream, const IngestTable& table,
                                const std::string& backfill_id, support::Timestamp received_at, size_t max_events) {
  EventBatch batch = read_event_batch(request.events, stream, table, backfill_id, received_at, max_events);
  // Each event's problems in request order: the reader's, then the range's.
  std::vector<std::vector<EventProblem>> by_event(batch.outcomes.size());
  for (size_t i = 0; i < batch.outcomes.size(); ++i) {
    for (const auto& problem : batch.outcomes[i].problems)
      by_event[i].push_back({body_path(problem.path), problem.message});
  }
  for (size_t r = 0; r < batch.rows.rows; ++r) {
    const size_t event = batch.row_event[r];
    const std::string path = "$.events[" + std::to_string(event) + "].";
    const support::Timestamp at{batch.rows.at(r, table.time_column).integer};
    if (at < request.from || !(at < request.to)) {
      by_event[event].push_back({path + stream.time_field, support::format_rfc3339(at, 6) +
                                                               " is outside the backfill's range [" +
                                                               support::format_rfc3339(request.from, 6) + ", " +
                                                               support::format_rfc3339(request.to, 6) + ")"});
    }
    if (request.customer && cell_text(batch.rows, r, table.customer_column) != *request.customer) {
      by_event[event].push_back({path + stream.customer_field, "is not the backfill's customer " + *request.customer});
    }
  }
  std::vector<EventProblem> problems;
  for (auto& list : by_event) problems.insert(problems.end(), list.begin(), list.end());
  if (!problems.empty()) {
    std::string first = problems.front().path + ": " + problems.front().message;  // before the move below
    throw BackfillRefused(422, "invalid_backfill", first, std::move(problems));
  }
  return batch;
}

std::string backfill_lock_key(Target& target, const IngestTable& table) {
  return target.lock_key(kept_table(target, table.table));
}

BackfillTrace backfill_trace(IngestSession& session, const IngestTable& table, const std::string& backfill_id) {
  Target& target = session.target();
  prepare_kept_table(target, table.table, table.columns);
  const TableRef kept = kept_table(target, table.table);
  BackfillTrace trace;
  trace.stored = count_rows_where(target, table.table, kSyncIdColumn, backfill_id) +
                 count_rows_where(target, kept, kSyncIdColumn, backfill_id);
  trace.kept = count_rows_where(target, kept, kBackfillColumn, backfill_id);
  return trace;
}

BackfillCounts apply_backfill(IngestSession& session, const IngestStream& stream, const IngestTable& table,
                              const BackfillRequest& request, EventBatch& batch, const std::string& backfill_id) {
  Target& target = session.target();
  prepare_kept_table(target, table.table, table.columns);
  const std::string& id_column = table.columns[table.id_column].name;
  RowRange range{table.columns[table.time_column].name, request.from, request.to, "", ""};
  if (request.customer) {
    range.match_column = table.columns[table.customer_column].name;
    range.match_value = *request.customer;
  }
  BackfillCounts counts;
  std::vector<EventProblem> problems;
  target.begin();
  try {
    counts.replaced = move_to_kept(target, table.table, table.columns, id_column, range, backfill_id);
    if (batch.rows.rows > 0) {
      WriteOptions options;
      options.keep_existing = true;
      options.key_columns = {id_column};
      target.writer(table.table, table.columns, options)->write(batch.rows);
      std::unordered_map<std::string, std::pair<std::string, std::string>> stored;  // id -> (sync id, received)
      for (auto& row : target.rows_by_key(table.table, id_column, batch.row_key, {kSyncIdColumn, kExtractedAtColumn})) {
        stored[row[0].value_or("")] = {row[1].value_or(""), row[2].value_or("")};
      }
      std::vector<std::pair<size_t, EventProblem>> refused;  // by event, in request order
      for (size_t r = 0; r < batch.row_key.size(); ++r) {
        auto found = stored.find(batch.row_key[r]);
        if (found != stored.end() && found->second.first == backfill_id) {
          ++counts.inserted;
          continue;
        }
        const auto at = found == stored.end() ? std::nullopt : support::parse_rfc3339(found->second.second);
        refused.push_back({batch.row_event[r],
                           {"$.events[" + std::to_string(batch.row_event[r]) + "]." + stream.id_field,
                            "id " + batch.row_key[r] + " is stored already outside what the backfill replaces " +
                                "(another time or customer, or posted while it ran" +
                                (at ? ", first received at " + support::format_rfc3339(*at, 6) : std::string()) +
                                "); an id is stored once"}});
      }
      std::sort(refused.begin(), refused.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& item : refused) problems.push_back(std::move(item.second));
    }
    if (!problems.empty()) {
      throw BackfillRefused(422, "invalid_backfill", problems.front().path + ": " + problems.front().message, problems);
    }
    target.commit();
  } catch (...) {
    try {
      target.rollback();
    } catch (const std::exception&) {
      // The first error is the one to tell; the session is dropped.
    }
    throw;
  }
  return counts;
}

RevertCounts revert_backfill(IngestSession& session, const IngestStream&, const IngestTable& table,
                             const std::string& backfill_id) {
  Target& target = session.target();
  prepare_kept_table(target, table.table, table.columns);
  const std::string& id_column = table.columns[table.id_column].name;
  RevertCounts counts;
  target.begin();
  try {
    if (const uint64_t held = kept_by_other(target, table.table, kSyncIdColumn, backfill_id, backfill_id)) {
      throw BackfillRefused(409, "backfill_overlapped",
                            std::to_string(held) + " rows backfill " + backfill_id +
                                " stored were replaced by a newer backfill "
                                "that is still applied; revert that one first");
    }
    counts.removed = delete_rows_where(target, table.table, kSyncIdColumn, backfill_id);
    if (const uint64_t again = kept_keys_live(target, table.table, id_column, backfill_id)) {
      throw BackfillRefused(409, "ids_stored_again",
                            std::to_string(again) + " ids backfill " + backfill_id +
                                " replaced were posted again since; putting "
                                "the replaced rows back would store them "
                                "twice");
    }
    counts.restored = restore_from_kept(target, table.table, table.columns, backfill_id);
    target.commit();
  } catch (...) {
    try {
      target.rollback();
    } catch (const std::exception&) {
    }
    throw;
  }
  return counts;
}

}  // namespace sluice::host
