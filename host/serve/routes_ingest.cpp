// Push ingestion over the API (docs/ingest.md): ingest streams declared
// like connections (admin), and POST /v1/ingest/{stream} (ingest, operator,
// admin) answering per event only after the commit.
#include "host/config/config_error.hpp"
#include "host/ingest/event_batch.hpp"
#include "host/ingest/ingest_stream.hpp"
#include "host/serve/routes.hpp"
#include "host/sync/clock.hpp"
#include "host/target/target_url.hpp"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <chrono>
#include <sstream>

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

constexpr size_t kMaxEventsPerRequest = 10000;

// A target URL as answers show it: the password of a network URL masked.
std::string masked_target(const std::string& url) {
  if (url.rfind("sqlite://", 0) == 0) return url;
  try {
    return parse_target_url(url).masked();
  } catch (const std::exception&) {
    return "********";
  }
}

IngestStream open_stream(Daemon& daemon, const IngestStreamRow& row) {
  IngestStream stream;
  const auto problems = parse_ingest_stream(json::parse(daemon.box().open(row.sealed)).as_object(), stream);
  if (!problems.empty()) throw std::runtime_error("stored ingest stream " + row.name + ": " + problems.front());
  return stream;
}

IngestStreamRow require_stream(Daemon& daemon, const std::string& name) {
  auto row = daemon.store().ingest_stream(name);
  if (!row) throw ApiError(404, "ingest_stream_not_found", "no ingest stream named " + name);
  return *row;
}

std::string effective_target(Daemon& daemon, const IngestStream& stream) {
  return stream.target.empty() ? daemon.config().ingest_default_target : stream.target;
}

json::object stream_view(Daemon& daemon, const IngestStreamRow& row, const IngestStream& stream) {
  json::object view = ingest_stream_json(stream);
  view["target"] = masked_target(effective_target(daemon, stream));
  view["id"] = row.id;
  view["created_at"] = row.created_at;
  view["updated_at"] = row.updated_at;
  return view;
}

// The body checked as a declaration; `previous` (an update) keeps its
// target when the masked form of it comes back.
IngestStream parse_input(const json::object& body, const IngestStream* previous) {
  json::object input = body;
  if (previous && !previous->target.empty()) {
    if (const auto* target = input.if_contains("target");
        target && target->is_string() && masked_target(previous->target) == target->get_string()) {
      input["target"] = previous->target;
    }
  }
  IngestStream stream;
  const auto problems = parse_ingest_stream(input, stream);
  if (!problems.empty()) {
    std::vector<FieldError> errors;
    for (const auto& line : problems) errors.push_back(field_error(line));
    throw ApiError(422, "invalid_ingest_stream", problems.front(), std::move(errors));
  }
  return stream;
}

json::object outcome_json(size_t index, const EventOutcome& outcome) {
  json::object out{{"index", index}, {"status", to_string(outcome.status)}};
  if (!outcome.id.empty()) out["id"] = outcome.id;
  if (outcome.status == EventStatus::accepted && outcome.late) out["late"] = true;
  if (outcome.status == EventStatus::duplicate) out["first_received_at"] = outcome.first_received_at;
  if (outcome.status == EventStatus::rejected) {
    json::array errors;
    for (const auto& problem : outcome.problems) {
      errors.push_back(json::object{{"path", problem.path}, {"message", problem.message}});
    }
    out["errors"] = std::move(errors);
  }
  return out;
}

ApiResponse ingest(Daemon& daemon, const ApiRequest& request) {
  if (const int64_t wait = daemon.ingest_limiter().take(request.key_id); wait > 0) {
    throw ApiError(429, "rate_limited",
                   "this key sent more ingest requests than its limit; retry after " + std::to_string(wait) + " s")
        .with_header("Retry-After", std::to_string(wait));
  }
  const IngestStreamRow row = require_stream(daemon, request.params[0]);
  const IngestStream stream = open_stream(daemon, row);
  const std::string body = decoded_body(request, daemon.config().ingest_max_decompressed_bytes);
  const std::string url = effective_target(daemon, stream);
  std::unique_ptr<IngestSession> session;
  try {
    session = daemon.ingest_pool().acquire(url);
  } catch (const std::exception& e) {
    throw ApiError(502, "target_unavailable", std::string("cannot open the stream's target: ") + e.what());
  }
  const std::string request_id = new_sync_id();
  const support::Timestamp received{std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()};
  EventBatch batch;
  try {
    const IngestTable& table = session->prepare(stream);
    batch = read_event_batch(body, stream, table, request_id, received, kMaxEventsPerRequest);
    session->write(table, batch, request_id);
  } catch (const EventBodyError& e) {
    daemon.ingest_pool().release(url, std::move(session));
    throw ApiError(e.status(), e.code(), e.what());
  } catch (const TargetError& e) {
    // Nothing of the request is stored; the session is dropped.
    throw ApiError(502, "target_unavailable", std::string("the stream's target failed: ") + e.what());
  }
  daemon.ingest_pool().release(url, std::move(session));

  size_t counts[3] = {0, 0, 0};
  json::array events;
  events.reserve(batch.outcomes.size());
  for (size_t i = 0; i < batch.outcomes.size(); ++i) {
    ++counts[static_cast<size_t>(batch.outcomes[i].status)];
    events.push_back(outcome_json(i, batch.outcomes[i]));
  }
  daemon.ingest_counts().accepted += counts[0];
  daemon.ingest_counts().duplicate += counts[1];
  daemon.ingest_counts().rejected += counts[2];
  return ApiResponse::json(200, json::object{{"stream", stream.name},
                                             {"request_id", request_id},
                                             {"received_at", support::format_rfc3339(received, 6)},
                                             {"accepted", counts[0]},
                                             {"duplicate", counts[1]},
                                             {"rejected", counts[2]},
                                             {"events", std::move(events)}});
}

}  // namespace

IngestStream ingest_stream_named(Daemon& daemon, const std::string& name) {
  return open_stream(daemon, require_stream(daemon, name));
}

std::string decoded_body(const ApiRequest& request, size_t max_inflated) {
  auto encoding = request.headers.find("content-encoding");
  if (encoding == request.headers.end() || encoding->second.empty() || encoding->second == "identity") {
    return request.body;
  }
  if (encoding->second != "gzip") {
    throw ApiError(415, "unsupported_encoding",
                   "Content-Encoding " + encoding->second + " is not supported; send gzip or no encoding");
  }
  std::istringstream compressed(request.body);
  Poco::InflatingInputStream inflate(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string out;
  char buffer[65536];
  try {
    while (inflate.read(buffer, sizeof buffer) || inflate.gcount() > 0) {
      out.append(buffer, static_cast<size_t>(inflate.gcount()));
      if (out.size() > max_inflated) {
        throw ApiError(413, "too_large",
                       "the request body is larger than " + std::to_string(max_inflated) + " bytes once decompressed");
      }
    }
  } catch (const Poco::Exception& e) {
    throw ApiError(400, "invalid_gzip", "the request body is not valid gzip (" + e.message() + ")");
  }
  // std::istream::read keeps the inflater's exception to itself and only
  // sets badbit: without this check a body that is not gzip read as empty.
  if (inflate.bad()) throw ApiError(400, "invalid_gzip", "the request body is not valid gzip");
  return out;
}

void add_ingest_routes(Router& router, Daemon& daemon) {
  router.add("GET", "/v1/ingest-streams", Role::viewer, [&daemon](const ApiRequest&) {
    json::array list;
    for (const auto& row : daemon.store().ingest_streams()) {
      list.push_back(stream_view(daemon, row, open_stream(daemon, row)));
    }
    return ApiResponse::json(200, json::object{{"ingest_streams", std::move(list)}});
  });

  router.add("POST", "/v1/ingest-streams", Role::admin, [&daemon](const ApiRequest& request) {
    const IngestStream stream = parse_input(request.json_body(), nullptr);
    IngestStreamRow row;
    row.id = "ing_" + random_hex(8);
    row.name = stream.name;
    row.sealed = daemon.box().seal(json::serialize(ingest_stream_json(stream)));
    row.created_at = row.updated_at = utc_now_iso();
    if (!daemon.store().insert_ingest_stream(row)) {
      throw ApiError(409, "name_taken", "an ingest stream named " + row.name + " exists already");
    }
    return ApiResponse::json(201, stream_view(daemon, row, stream));
  });

  router.add("GET", "/v1/ingest-streams/{name}", Role::viewer, [&daemon](const ApiRequest& request) {
    const IngestStreamRow row = require_stream(daemon, request.params[0]);
    return ApiResponse::json(200, stream_view(daemon, row, open_stream(daemon, row)));
  });

  // A full replacement; the name stays (it is the table's). New properties
  // become columns at the next request; existing columns keep their types.
  router.add("PUT", "/v1/ingest-streams/{name}", Role::admin, [&daemon](const ApiRequest& request) {
    IngestStreamRow row = require_stream(daemon, request.params[0]);
    const IngestStream previous = open_stream(daemon, row);
    json::object body = request.json_body();
    if (!body.contains("name")) body["name"] = row.name;
    const IngestStream stream = parse_input(body, &previous);
    if (stream.name != row.name) {
      throw ApiError(422, "invalid_ingest_stream", "name: an ingest stream cannot be renamed (its table keeps the name)",
                     {{"name", "an ingest stream cannot be renamed (its table keeps the name)"}});
    }
    row.sealed = daemon.box().seal(json::serialize(ingest_stream_json(stream)));
    row.updated_at = utc_now_iso();
    if (!daemon.store().update_ingest_stream(row)) {
      throw ApiError(404, "ingest_stream_not_found", "no ingest stream named " + row.name);
    }
    return ApiResponse::json(200, stream_view(daemon, row, stream));
  });

  // The declaration goes; the table and its events stay in the target.
  router.add("DELETE", "/v1/ingest-streams/{name}", Role::admin, [&daemon](const ApiRequest& request) {
    if (!daemon.store().delete_ingest_stream(request.params[0])) {
      throw ApiError(404, "ingest_stream_not_found", "no ingest stream named " + request.params[0]);
    }
    return ApiResponse{204, "application/json", ""};
  });

  router.add("POST", "/v1/ingest/{stream}", Role::ingest,
             [&daemon](const ApiRequest& request) { return ingest(daemon, request); });
}

}  // namespace sluice::host::serve
