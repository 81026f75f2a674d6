#include "auth0_tenant.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

namespace auth0_test {

Tenant::Tenant() {
  auth0.add_users(30);
  auth0.organizations = {{"org_a", "acme", {"auth0|1", "auth0|2"}}, {"org_b", "beta", {"auth0|2"}}};
  for (int i = 1; i <= 250; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "900200%020d", i);
    auth0.log_ids.push_back(id);
  }
}

std::string Tenant::connection(const std::string& secret, const json::array& streams) {
  return connection_with(
      {{"auth_type", "client_credentials"}, {"client_id", auth0.client_id}, {"client_secret", secret}}, streams);
}

std::string Tenant::connection_with(const json::object& credentials, const json::array& streams) {
  json::object conn{
      {"source",
       {{"plugin", "auth0"},
        {"config",
         {{"domain", auth0.domain},
          {"credentials", credentials},
          {"base_url", server.base_url()},
          {"ca_file", server.ca_file()}}}}},
      {"target", "sqlite://" + dir.file("auth0.db")}};
  if (!streams.empty()) conn["streams"] = streams;
  return dir.write("auth0.json", json::serialize(conn));
}

std::string Tenant::db(const std::string& sql) const { return sluice::test::sqlite_value(dir.file("auth0.db"), sql); }

std::string Tenant::users_checkpoint(const std::string& conn) const {
  auto state = sluice::test::run_sluice({"state", conn, "--json"});
  INFO(state.all());
  REQUIRE(state.exit_code == 0);
  const json::value shown = json::parse(state.out);
  for (const auto& entry : shown.at("state").as_array()) {
    if (entry.at("stream") == "users") return std::string(entry.at("state").at("updated_at").as_string());
  }
  FAIL("no users checkpoint");
  return "";
}

std::vector<FakeRequest> Tenant::requests_to(const std::string& path) const {
  std::vector<FakeRequest> out;
  for (auto& request : server.requests()) {
    if (request.path == path) out.push_back(std::move(request));
  }
  return out;
}

}  // namespace auth0_test
