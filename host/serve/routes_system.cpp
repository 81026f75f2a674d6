#include "host/serve/routes.hpp"

#include "host/sync/clock.hpp"

namespace sluice::host::serve {

namespace {

// A key as the API shows it: never its salt or hash.
boost::json::object key_view(const KeyRow& key) {
  boost::json::object view{{"id", key.id}, {"role", key.role}, {"name", key.name}, {"created_at", key.created_at}};
  if (key.revoked_at.empty()) view["revoked_at"] = nullptr;
  else view["revoked_at"] = key.revoked_at;
  return view;
}

}  // namespace

void add_routes(Router& router, Daemon& daemon) {
  add_system_routes(router, daemon);
  add_plugin_routes(router, daemon);
  add_connection_routes(router, daemon);
  add_sync_routes(router, daemon);
  add_ingest_routes(router, daemon);
  add_query_routes(router, daemon);
  add_ingest_backfill_routes(router, daemon);
  add_ingest_csv_routes(router, daemon);
}

void add_system_routes(Router& router, Daemon& daemon) {
  // Liveness only: open to anyone, so a load balancer needs no key.
  router.add("GET", "/healthz", std::nullopt, [](const ApiRequest&) {
    return ApiResponse::json(200, boost::json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", Role::viewer, [&daemon](const ApiRequest&) {
    if (!daemon.ready()) throw ApiError(503, "not_ready", "the daemon is starting, stopping or its store is down");
    return ApiResponse::json(200, boost::json::object{{"status", "ready"}});
  });
  router.add("GET", "/metrics", Role::viewer, [&daemon](const ApiRequest&) {
    return ApiResponse{200, "text/plain; version=0.0.4", daemon.metrics_text()};
  });
  router.add("GET", "/v1/openapi.json", Role::viewer, [](const ApiRequest&) {
    return ApiResponse{200, "application/json", std::string(openapi_document())};
  });
  router.add("POST", "/v1/keys", Role::admin, [&daemon](const ApiRequest& request) {
    boost::json::object body = request.json_body();
    const auto* role_text = body.if_contains("role");
    std::optional<Role> role =
        role_text && role_text->is_string() ? parse_role(std::string(role_text->as_string())) : std::nullopt;
    if (!role) {
      throw ApiError(422, "invalid_key", "role: expected admin, operator, viewer or ingest",
                     {{"role", "expected admin, operator, viewer or ingest"}});
    }
    std::string name;
    if (const auto* n = body.if_contains("name"); n && n->is_string()) name = std::string(n->as_string());
    NewKey key = make_api_key();
    daemon.store().add_key({key.id, std::string(to_string(*role)), key.salt, key.hash, utc_now_iso(), name, ""});
    return ApiResponse::json(201, boost::json::object{{"id", key.id}, {"role", to_string(*role)},
                                                      {"name", name}, {"key", key.token}});
  });
  router.add("GET", "/v1/keys", Role::admin, [&daemon](const ApiRequest&) {
    boost::json::array items;
    for (const auto& key : daemon.store().keys()) items.push_back(key_view(key));
    return ApiResponse::json(200, boost::json::object{{"items", std::move(items)}});
  });
  // Takes effect at once on every daemon sharing the store: each request
  // reads its key's row (Authenticator).
  router.add("DELETE", "/v1/keys/{id}", Role::admin, [&daemon](const ApiRequest& request) {
    if (!daemon.store().revoke_key(request.params[0], utc_now_iso())) {
      throw ApiError(404, "key_not_found", "no live API key " + request.params[0]);
    }
    return ApiResponse{204, "application/json", ""};
  });
}

}  // namespace sluice::host::serve
