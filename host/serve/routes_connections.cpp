#include "host/serve/connection_view.hpp"
#include "host/serve/routes.hpp"
#include "host/sync/clock.hpp"
#include "host/target/target.hpp"

namespace sluice::host::serve {

namespace {

namespace json = boost::json;

// The target the connection's syncs write to, as `sluice sync` picks it.
std::string target_url(const json::object& file) {
  const auto* target = file.if_contains("target");
  if (target && target->is_string() && !target->as_string().empty()) return std::string(target->as_string());
  return "sqlite://./sluice.db";
}

// Its state rows, reading only (a target never synced has no tables).
std::vector<StateRecord> read_states(Target& target) {
  if (!target.table_columns({"", "_sluice_state"})) return {};
  return target.store().states();
}

std::unique_ptr<Target> open_state_target(const json::object& file) {
  try {
    return open_target(target_url(file));
  } catch (const std::exception& e) {
    throw ApiError(502, "target_unavailable", std::string("cannot open the connection's target: ") + e.what());
  }
}

}  // namespace

ConnectionRow require_connection(Daemon& daemon, const std::string& id) {
  auto row = daemon.store().connection(id);
  if (!row) throw ApiError(404, "connection_not_found", "no connection with id " + id);
  return *row;
}

json::object open_connection(Daemon& daemon, const ConnectionRow& row) {
  return json::parse(daemon.box().open(row.sealed)).as_object();
}

void add_connection_routes(Router& router, Daemon& daemon) {
  router.add("GET", "/v1/connections", Role::viewer, [&daemon](const ApiRequest&) {
    json::array list;
    for (const auto& row : daemon.store().connections()) {
      list.push_back(connection_json(row, open_connection(daemon, row), daemon.plugins()));
    }
    return ApiResponse::json(200, json::object{{"connections", std::move(list)}});
  });

  router.add("POST", "/v1/connections", Role::admin, [&daemon](const ApiRequest& request) {
    ConnectionInput input = parse_connection_input(request.json_body(), daemon.plugins(), nullptr);
    ConnectionRow row;
    row.id = "conn_" + random_hex(8);
    row.name = input.name;
    row.plugin = input.plugin;
    row.sealed = daemon.box().seal(json::serialize(input.connection));
    row.schedule_json = json::serialize(input.schedule);
    row.created_at = row.updated_at = utc_now_iso();
    // Not due before its first scheduled time after now (scheduler.hpp).
    row.covered_until = daemon.now_text();
    if (!daemon.store().insert_connection(row)) {
      throw ApiError(409, "name_taken", "a connection named " + row.name + " exists already");
    }
    return ApiResponse::json(201, connection_json(row, input.connection, daemon.plugins()));
  });

  router.add("GET", "/v1/connections/{id}", Role::viewer, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    return ApiResponse::json(200, connection_json(row, open_connection(daemon, row), daemon.plugins()));
  });

  // A full replacement; secrets sent back as "********" keep their values.
  router.add("PUT", "/v1/connections/{id}", Role::admin, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    const json::object previous = open_connection(daemon, row);
    ConnectionInput input = parse_connection_input(request.json_body(), daemon.plugins(), &previous);
    row.name = input.name;
    row.plugin = input.plugin;
    row.sealed = daemon.box().seal(json::serialize(input.connection));
    const std::string schedule = json::serialize(input.schedule);
    // A new schedule starts from now; an unchanged one keeps its place.
    if (schedule != row.schedule_json) row.covered_until = daemon.now_text();
    row.schedule_json = schedule;
    row.updated_at = utc_now_iso();
    if (!daemon.store().update_connection(row)) {
      throw ApiError(409, "name_taken", "a connection named " + row.name + " exists already");
    }
    return ApiResponse::json(200, connection_json(row, input.connection, daemon.plugins()));
  });

  router.add("DELETE", "/v1/connections/{id}", Role::admin, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    if (daemon.busy(row.id)) {
      throw ApiError(409, "connection_busy", "connection " + row.name + " has a sync queued or running; cancel it first");
    }
    daemon.store().delete_connection(row.id);
    return ApiResponse{204, "application/json", ""};
  });

  router.add("GET", "/v1/connections/{id}/state", Role::viewer, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    auto target = open_state_target(open_connection(daemon, row));
    json::array streams;
    for (const auto& s : read_states(*target)) {
      json::error_code ec;
      json::value state = json::parse(s.state_json, ec);
      streams.push_back(json::object{{"stream", s.stream}, {"table", s.table.display()},
                                     {"state", ec ? json::value(s.state_json) : state}, {"sync_id", s.sync_id},
                                     {"updated_at", s.updated_at}});
    }
    return ApiResponse::json(200, json::object{{"connection_id", row.id}, {"streams", std::move(streams)}});
  });

  // The next sync of that stream starts from scratch.
  router.add("DELETE", "/v1/connections/{id}/state/{stream}", Role::operator_, [&daemon](const ApiRequest& request) {
    ConnectionRow row = require_connection(daemon, request.params[0]);
    const std::string& stream = request.params[1];
    if (daemon.busy(row.id)) {
      throw ApiError(409, "connection_busy", "connection " + row.name + " has a sync queued or running; cancel it first");
    }
    auto target = open_state_target(open_connection(daemon, row));
    size_t reset = 0;
    for (const auto& s : read_states(*target)) {
      if (s.stream == stream) reset += target->store().reset_states(s.table);
    }
    if (reset == 0) throw ApiError(404, "state_not_found", "no saved state for stream " + stream);
    return ApiResponse::json(200, json::object{{"stream", stream}, {"reset", reset}});
  });
}

}  // namespace sluice::host::serve
