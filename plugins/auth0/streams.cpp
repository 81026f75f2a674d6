#include "streams.hpp"

namespace auth0 {

namespace json = boost::json;

namespace {

json::object prop(const char* type, const char* format = nullptr) {
  json::object p{{"type", json::array{type, "null"}}};
  if (format) p["format"] = format;
  return p;
}

sluice::Stream stream(const char* name, const char* description, json::object properties,
                      std::vector<sluice::FieldPath> key) {
  sluice::Stream s;
  s.name = name;
  s.description = description;
  s.json_schema = {{"type", "object"}, {"properties", std::move(properties)}};
  s.primary_key = std::move(key);
  return s;
}

}  // namespace

const std::vector<StreamInfo>& listed_streams() {
  // Which endpoints offer checkpoint pagination: the `from`/`take`
  // parameters of each GET in the Management API's OpenAPI document.
  static const std::vector<StreamInfo> streams{
      {"clients", "/clients", "clients", "read:clients", true},
      {"connections", "/connections", "connections", "read:connections", true},
      {"roles", "/roles", "roles", "read:roles", false},
      {"organizations", "/organizations", "organizations", "read:organizations", true},
  };
  return streams;
}

std::vector<sluice::Stream> auth0_streams() {
  // https://auth0.com/docs/api/management/v2/users/get-users
  auto users = stream("users", "Users, incremental by updated_at.",
                      {{"user_id", prop("string")}, {"email", prop("string")}, {"email_verified", prop("boolean")},
                       {"username", prop("string")}, {"phone_number", prop("string")},
                       {"phone_verified", prop("boolean")}, {"created_at", prop("string", "date-time")},
                       {"updated_at", prop("string", "date-time")}, {"identities", prop("array")},
                       {"app_metadata", prop("object")}, {"user_metadata", prop("object")},
                       {"picture", prop("string")}, {"name", prop("string")}, {"nickname", prop("string")},
                       {"multifactor", prop("array")}, {"last_ip", prop("string")},
                       {"last_login", prop("string", "date-time")}, {"logins_count", prop("integer")},
                       {"blocked", prop("boolean")}, {"given_name", prop("string")},
                       {"family_name", prop("string")}},
                      {{"user_id"}});
  users.sync_modes = sluice::all_sync_modes();
  users.default_cursor_field = {"updated_at"};

  // https://auth0.com/docs/api/management/v2/clients/get-clients
  auto clients = stream("clients", "Applications.",
                        {{"client_id", prop("string")}, {"tenant", prop("string")}, {"name", prop("string")},
                         {"description", prop("string")}, {"app_type", prop("string")},
                         {"is_first_party", prop("boolean")}, {"callbacks", prop("array")},
                         {"allowed_origins", prop("array")}, {"grant_types", prop("array")},
                         {"client_metadata", prop("object")}},
                        {{"client_id"}});
  // https://auth0.com/docs/api/management/v2/connections/get-connections
  auto connections = stream("connections", "Identity providers and databases.",
                            {{"id", prop("string")}, {"name", prop("string")}, {"display_name", prop("string")},
                             {"strategy", prop("string")}, {"realms", prop("array")},
                             {"is_domain_connection", prop("boolean")}, {"metadata", prop("object")}},
                            {{"id"}});
  // https://auth0.com/docs/api/management/v2/roles/get-roles
  auto roles = stream("roles", "Roles.", {{"id", prop("string")}, {"name", prop("string")}, {"description", prop("string")}},
                      {{"id"}});
  // https://auth0.com/docs/api/management/v2/organizations/get-organizations
  auto organizations = stream("organizations", "Organizations (B2B customers).",
                              {{"id", prop("string")}, {"name", prop("string")}, {"display_name", prop("string")},
                               {"branding", prop("object")}, {"metadata", prop("object")}},
                              {{"id"}});
  // https://auth0.com/docs/api/management/v2/organizations/get-members
  auto members = stream("organization_members", "Members of each organization.",
                        {{"organization_id", prop("string")}, {"user_id", prop("string")}, {"name", prop("string")},
                         {"email", prop("string")}, {"picture", prop("string")}},
                        {{"organization_id"}, {"user_id"}});
  // https://auth0.com/docs/api/management/v2/logs/get-logs
  auto logs = stream("logs", "Tenant log events, incremental by log_id (checkpoint pagination).",
                     {{"log_id", prop("string")}, {"date", prop("string", "date-time")}, {"type", prop("string")},
                      {"description", prop("string")}, {"connection", prop("string")},
                      {"connection_id", prop("string")}, {"client_id", prop("string")},
                      {"client_name", prop("string")}, {"ip", prop("string")}, {"user_id", prop("string")},
                      {"user_name", prop("string")}, {"audience", prop("string")}, {"scope", prop("string")},
                      {"strategy", prop("string")}, {"strategy_type", prop("string")},
                      {"hostname", prop("string")}, {"user_agent", prop("string")}, {"details", prop("object")},
                      {"isMobile", prop("boolean")}, {"location_info", prop("object")}},
                     {{"log_id"}});
  logs.sync_modes = {sluice::SyncMode::full_refresh_overwrite, sluice::SyncMode::full_refresh_append,
                     sluice::SyncMode::incremental_append};
  logs.default_cursor_field = {"log_id"};
  return {users, clients, connections, roles, organizations, members, logs};
}

}  // namespace auth0
