// The Auth0 connector: Management API v2 (https://auth0.com/docs/api/management/v2).
#include "auth0_api.hpp"
#include "readers.hpp"
#include "spec.hpp"
#include "streams.hpp"

#include <sluice/support/http_error.hpp>

namespace auth0 {

namespace json = boost::json;

namespace {

struct ScopeProbe {
  const char* stream;
  const char* path;
  const char* scope;
};

// One cheap request per stream: a 403 names the scope the token lacks.
const ScopeProbe kProbes[] = {
    {"users", "/users?per_page=1&page=0", "read:users"},
    {"clients", "/clients?per_page=1&page=0", "read:clients"},
    {"connections", "/connections?per_page=1&page=0", "read:connections"},
    {"roles", "/roles?per_page=1&page=0", "read:roles"},
    {"organizations", "/organizations?per_page=1&page=0", "read:organizations"},
    {"logs", "/logs?per_page=1&page=0", "read:logs"},
};

}  // namespace

class Auth0Connector : public sluice::Connector {
 public:
  Auth0Connector(const sluice::Config& config, const sluice::Logger& log) : config_(config), api_(config, log) {}

  void check() override {
    Auth0Api& api = api_;
    for (const auto& probe : kProbes) probe_scope(api, probe.path, probe.scope, probe.stream);
    // Members need an organization to ask about; a tenant without any has
    // nothing to read there.
    json::value first = api.get("/organizations?per_page=1&page=0");
    if (first.is_array() && !first.get_array().empty()) {
      const std::string id(first.get_array()[0].at("id").as_string());
      probe_scope(api, "/organizations/" + sluice::support::url_encode(id) + "/members?per_page=1&page=0",
                  "read:organization_members", "organization_members");
    }
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override { return auth0_streams(); }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    if (stream.name == "users") {
      read_users(api_, config_, stream, ctx);
    } else if (stream.name == "logs") {
      read_logs(api_, stream, ctx);
    } else if (stream.name == "organization_members") {
      read_members(api_, ctx);
    } else {
      read_listed(api_, stream, ctx);
    }
  }

 private:
  static void probe_scope(Auth0Api& api, const std::string& path, const char* scope, const char* stream) {
    try {
      api.get(path);
    } catch (const sluice::support::HttpError& e) {
      if (e.status() != 403) throw;
      throw sluice::Error(sluice::ErrorKind::auth, std::string("the token lacks the scope ") + scope +
                                                       " (needed by stream " + stream +
                                                       "); grant it to the application under APIs > Auth0 "
                                                       "Management API > Machine to Machine Applications");
    }
  }

  static void read_listed(Auth0Api& api, const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) {
    for (const auto& info : listed_streams()) {
      if (info.name != stream.name) continue;
      const ItemHandler emit = [&](std::string_view item) { ctx.emit_serialized(item); };
      if (info.checkpoint) {
        api.list_by_checkpoint(info.path, info.array_key, emit);
      } else {
        api.list(info.path, "", info.array_key, emit);
      }
      return;
    }
    throw sluice::Error(sluice::ErrorKind::config, "no stream named " + stream.name);
  }

  // https://auth0.com/docs/api/management/v2/organizations/get-members
  // Both lists by checkpoint: page-based listing stops at 1,000 of either.
  static void read_members(Auth0Api& api, sluice::ReadContext& ctx) {
    std::vector<std::string> organizations;
    api.list_by_checkpoint("/organizations", "organizations", [&](std::string_view org) {
      auto id = string_member(org, "id");
      if (!id) throw sluice::Error(sluice::ErrorKind::source, "GET /api/v2/organizations: an organization has no id");
      organizations.push_back(std::move(*id));
    });
    std::string row;
    for (const auto& id : organizations) {
      const std::string id_json = json::serialize(json::value(id));
      api.list_by_checkpoint("/organizations/" + sluice::support::url_encode(id) + "/members", "members",
                             [&](std::string_view member) {
                               with_last_member(row, member, "organization_id", id_json);
                               ctx.emit_serialized(row);
                             });
    }
  }

  sluice::Config config_;
  Auth0Api api_;
};

}  // namespace auth0

SLUICE_PLUGIN(auth0::Auth0Connector, "auth0", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/auth0.md", SLUICE_NAMESPACE_NONE,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND | SLUICE_MODE_INCREMENTAL_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              auth0::spec_json())
