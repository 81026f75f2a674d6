// Backfills of ingest streams over the API (docs/ingest.md#backfills):
// POST /v1/ingest/{stream}/backfills replaces a time range's events
// (operator), POST .../backfills/{id}/revert undoes it (operator), GET
// .../backfills lists them (viewer), settling records a stopped daemon left
// applying. The target work is
// host/ingest/backfill.hpp; the store keeps who did what and when.
//
// One backfill or revert of a stream at a time, across daemons: each holds
// the target lock of the stream's kept table (backfill_lock_key) from its
// checks to its store record, so the newest-first rule is checked against
// a state no other backfill is changing.
#include "host/common/fault_point.hpp"
#include "host/ingest/backfill.hpp"
#include "host/ingest/ingest_stream.hpp"
#include "host/serve/routes.hpp"
#include "host/serve/secret_box.hpp"
#include "host/serve/serve_log.hpp"
#include "host/sync/clock.hpp"

#include <algorithm>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

constexpr size_t kMaxBackfillEvents = 10000;

BackfillRow backfill_named(Daemon& daemon, const std::string& stream, const std::string& id) {
  auto row = daemon.store().backfill(stream, id);
  if (!row) throw ApiError(404, "backfill_not_found", "no backfill " + id + " of ingest stream " + stream);
  return *row;
}

json::value text_or_null(const std::string& text) { return text.empty() ? json::value(nullptr) : json::value(text); }

json::object backfill_view(const BackfillRow& row) {
  return {{"id", row.id},
          {"stream", row.stream},
          {"state", row.state},
          {"from", row.range_from},
          {"to", row.range_to},
          {"customer", row.customer ? json::value(*row.customer) : json::value(nullptr)},
          {"created_by", row.created_by},
          {"created_at", row.created_at},
          {"rows_replaced", row.rows_replaced},
          {"rows_inserted", row.rows_inserted},
          {"reverted_by", text_or_null(row.reverted_by)},
          {"reverted_at", text_or_null(row.reverted_at)}};
}

ApiError refused(const BackfillRefused& e) {
  std::vector<FieldError> errors;
  for (const auto& problem : e.problems()) errors.push_back({problem.path, problem.message});
  return ApiError(e.status(), e.code(), e.what(), std::move(errors));
}

// The backfill's own target session (not the ingest pool's: it writes in a
// transaction of its own), holding the stream's backfill lock until it goes.
class BackfillSession {
 public:
  BackfillSession(Daemon& daemon, const IngestStream& stream) {
    const std::string url = stream.target.empty() ? daemon.config().ingest_default_target : stream.target;
    try {
      session_ = std::make_unique<IngestSession>(open_target(url));
      table_ = &session_->prepare(stream);
    } catch (const std::exception& e) {
      throw ApiError(502, "target_unavailable", std::string("cannot open the stream's target: ") + e.what());
    }
    key_ = backfill_lock_key(session_->target(), *table_);
    if (!session_->target().try_lock(key_)) {
      throw ApiError(409, "backfill_in_progress",
                     "another backfill or revert of ingest stream " + stream.name + " is under way; try again");
    }
  }
  ~BackfillSession() {
    try {
      session_->target().unlock(key_);
    } catch (const std::exception&) {
      // The lock dies with the session, which goes now.
    }
  }
  BackfillSession(const BackfillSession&) = delete;
  BackfillSession& operator=(const BackfillSession&) = delete;

  IngestSession& session() { return *session_; }
  const IngestTable& table() const { return *table_; }

 private:
  std::unique_ptr<IngestSession> session_;
  const IngestTable* table_ = nullptr;
  std::string key_;
};

// Whether two backfills' events can meet: their ranges overlap and they
// share a customer (no customer: all of them).
bool overlap(const BackfillRow& a, const BackfillRow& b) {
  const bool times = a.range_from < b.range_to && b.range_from < a.range_to;  // fixed-width UTC text
  return times && (!a.customer || !b.customer || *a.customer == *b.customer);
}

// Records of `stream` a daemon left "applying" (killed between the target's
// commit and the store's update, or before the commit), settled from what
// the target holds: applied with the rows found, or removed when nothing of
// the backfill is there. Called under the stream's backfill lock, so no
// other host is applying one meanwhile.
void settle_applying(Daemon& daemon, const IngestStream& stream, BackfillSession& own) {
  for (BackfillRow row : daemon.store().backfills(stream.name)) {
    if (row.state != "applying") continue;
    const BackfillTrace trace = backfill_trace(own.session(), own.table(), row.id);
    if (trace.committed()) {
      row.state = "applied";
      row.rows_inserted = static_cast<int64_t>(trace.stored);
      row.rows_replaced = static_cast<int64_t>(trace.kept);
      daemon.store().update_backfill(row);
      log_line("sluice serve: backfill " + row.id + " of ingest stream " + stream.name +
               " was left applying by a daemon that stopped; its transaction committed (" +
               std::to_string(trace.stored) + " rows stored, " + std::to_string(trace.kept) +
               " replaced): now applied");
    } else {
      daemon.store().delete_backfill(row.id);
      log_line("sluice serve: backfill " + row.id + " of ingest stream " + stream.name +
               " was left applying by a daemon that stopped before its transaction committed; nothing of it is "
               "in the target: its record is removed");
    }
  }
}

// The stream's backfills for a listing. A record left applying is settled
// first when the stream's backfill lock is free: then no backfill is under
// way on any daemon, and one that stopped is what left it. While a backfill
// holds the lock, or the target cannot be reached, records are listed as
// they are (applying is then the truth, or all that is known).
std::vector<BackfillRow> settled_backfills(Daemon& daemon, const IngestStream& stream) {
  std::vector<BackfillRow> rows = daemon.store().backfills(stream.name);
  if (std::none_of(rows.begin(), rows.end(), [](const BackfillRow& row) { return row.state == "applying"; })) {
    return rows;
  }
  try {
    BackfillSession own(daemon, stream);
    settle_applying(daemon, stream, own);
  } catch (const ApiError&) {
    return rows;  // backfill_in_progress, or target_unavailable
  }
  return daemon.store().backfills(stream.name);
}

// The body as parse_backfill_request reads it from `text` (the body,
// inflated): the JSON object, or for an NDJSON body (Content-Type:
// application/x-ndjson) the range from the query (?from=...&to=...&
// customer=...) and the events from the body.
json::object backfill_body(const ApiRequest& request, const std::string& text, const IngestStream& stream,
                           bool& ndjson) {
  const auto type = request.headers.find("content-type");
  ndjson = type != request.headers.end() && type->second.rfind("application/x-ndjson", 0) == 0;
  if (!ndjson) return ApiRequest::json_object_body(text);
  json::object body{{"events", json::array{}}};
  for (const char* key : {"from", "to"}) {
    if (auto value = request.query_value(key)) body[key] = *value;
  }
  if (auto customer = request.query_value("customer")) {
    body["customer"] = *customer;
    const auto* properties = stream.schema.if_contains("properties");
    const auto* property = properties && !stream.customer_field.empty()
                               ? properties->as_object().if_contains(stream.customer_field)
                               : nullptr;
    if (property && column_type_for(*property) == ColumnType::integer) {
      json::error_code ec;
      const json::value number = json::parse(*customer, ec);
      if (!ec && number.is_int64()) body["customer"] = number;
    }
  }
  return body;
}

ApiResponse create(Daemon& daemon, const ApiRequest& request) {
  const IngestStream stream = ingest_stream_named(daemon, request.params[0]);
  BackfillRequest input;
  bool ndjson = false;
  std::string text = decoded_body(request, daemon.config().ingest_max_decompressed_bytes);
  const json::object body = backfill_body(request, text, stream, ndjson);
  if (const auto problems = parse_backfill_request(body, stream, input); !problems.empty()) {
    std::vector<FieldError> errors;
    for (const auto& line : problems) errors.push_back(field_error(line));
    throw ApiError(422, "invalid_backfill", problems.front(), std::move(errors));
  }
  if (ndjson) input.events = std::move(text);
  BackfillSession own(daemon, stream);
  settle_applying(daemon, stream, own);
  BackfillRow row;
  row.id = "bf_" + random_hex(8);
  row.stream = stream.name;
  row.state = "applying";
  row.range_from = support::format_rfc3339(input.from, 6);
  row.range_to = support::format_rfc3339(input.to, 6);
  row.customer = input.customer;
  row.created_by = request.key_id;
  row.created_at = utc_now_iso();
  EventBatch batch;
  try {
    batch = read_backfill_events(input, stream, own.table(), row.id, *support::parse_rfc3339(row.created_at),
                                 kMaxBackfillEvents);
  } catch (const BackfillRefused& e) {
    throw refused(e);
  } catch (const EventBodyError& e) {
    throw ApiError(e.status(), e.code(), e.what());
  }
  // Recorded first: a daemon that dies in the transaction leaves
  // "applying", which the next listing, backfill or revert of the stream
  // settles.
  daemon.store().insert_backfill(row);
  fault_point("backfill-recorded");
  try {
    const BackfillCounts counts = apply_backfill(own.session(), stream, own.table(), input, batch, row.id);
    row.rows_replaced = static_cast<int64_t>(counts.replaced);
    row.rows_inserted = static_cast<int64_t>(counts.inserted);
    fault_point("backfill-committed");
  } catch (const BackfillRefused& e) {
    daemon.store().delete_backfill(row.id);
    throw refused(e);
  } catch (const TargetError& e) {
    daemon.store().delete_backfill(row.id);
    throw ApiError(502, "target_unavailable", std::string("the stream's target failed: ") + e.what());
  }
  row.state = "applied";
  daemon.store().update_backfill(row);
  return ApiResponse::json(201, backfill_view(row));
}

ApiResponse revert(Daemon& daemon, const ApiRequest& request) {
  const IngestStream stream = ingest_stream_named(daemon, request.params[0]);
  backfill_named(daemon, stream.name, request.params[1]);
  BackfillSession own(daemon, stream);
  settle_applying(daemon, stream, own);
  BackfillRow row = backfill_named(daemon, stream.name, request.params[1]);  // as it is under the lock
  if (row.state != "applied") {
    throw ApiError(409, "backfill_not_applied",
                   "backfill " + row.id + " is " + row.state +
                       (row.state == "reverted" ? " (by " + row.reverted_by + " at " + row.reverted_at + ")" : ""));
  }
  // Newest first: a newer backfill over the same events must go before.
  for (const auto& other : daemon.store().backfills(stream.name)) {
    if (other.id == row.id || other.state == "reverted" || other.created_at < row.created_at) continue;
    if (other.created_at == row.created_at && other.id < row.id) continue;
    if (!overlap(row, other)) continue;
    throw ApiError(409, "backfill_overlapped",
                   "backfill " + other.id + " [" + other.range_from + ", " + other.range_to + ") is newer, overlaps " +
                       row.id + " and is " + other.state + "; revert it first");
  }
  try {
    revert_backfill(own.session(), stream, own.table(), row.id);
  } catch (const BackfillRefused& e) {
    throw refused(e);
  } catch (const TargetError& e) {
    throw ApiError(502, "target_unavailable", std::string("the stream's target failed: ") + e.what());
  }
  row.state = "reverted";
  row.reverted_by = request.key_id;
  row.reverted_at = utc_now_iso();
  daemon.store().update_backfill(row);
  return ApiResponse::json(200, backfill_view(row));
}

}  // namespace

void add_ingest_backfill_routes(Router& router, Daemon& daemon) {
  router.add("GET", "/v1/ingest/{stream}/backfills", Role::viewer, [&daemon](const ApiRequest& request) {
    const IngestStream stream = ingest_stream_named(daemon, request.params[0]);
    json::array list;
    for (const auto& row : settled_backfills(daemon, stream)) list.push_back(backfill_view(row));
    return ApiResponse::json(200, json::object{{"backfills", std::move(list)}});
  });
  router.add("POST", "/v1/ingest/{stream}/backfills", Role::operator_,
             [&daemon](const ApiRequest& request) { return create(daemon, request); });
  router.add("POST", "/v1/ingest/{stream}/backfills/{id}/revert", Role::operator_,
             [&daemon](const ApiRequest& request) { return revert(daemon, request); });
}

}  // namespace sluice::host::serve
