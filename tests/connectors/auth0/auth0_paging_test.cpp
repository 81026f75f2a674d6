// Listing past Auth0's 1,000-result cap on page-based listing, and servers
// that never move on. Organizations, their members and connections are read
// by checkpoint pagination and arrive complete; what page-based listing
// cannot reach fails the stream loudly, naming it; a `next` or `from` that
// never changes ends the read after one repeat, with nothing stored twice.
#include "auth0_tenant.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

using namespace sluice::test;
using namespace auth0_test;

namespace {

json::array only(const std::string& stream, const std::string& mode = "full_refresh_overwrite") {
  return json::array{json::object{{"name", stream}, {"mode", mode}}};
}

// Every request to `path` used checkpoint pagination (take, then from), and
// none asked for a page.
void check_checkpoint_paged(const Tenant& t, const std::string& path, size_t expected_requests) {
  const auto requests = t.requests_to(path);
  CHECK(requests.size() == expected_requests);
  for (size_t i = 0; i < requests.size(); ++i) {
    CHECK(requests[i].query("take") == "100");
    CHECK(requests[i].has_query("from") == (i > 0));
    CHECK_FALSE(requests[i].has_query("page"));
  }
}

}  // namespace

TEST_CASE("organizations and connections past 1,000 sync completely by checkpoint pagination") {
  Tenant t;
  t.auth0.add_organizations(1248);  // 1,250 with org_a and org_b
  t.auth0.add_connections(1099);    // 1,100 with con_1
  for (const char* stream : {"organizations", "connections"}) {
    auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only(stream))});
    INFO(run.all());
    REQUIRE(run.exit_code == 0);
  }
  CHECK(t.db("SELECT COUNT(*) FROM organizations") == "1250");
  CHECK(t.db("SELECT COUNT(DISTINCT id) FROM organizations") == "1250");
  CHECK(t.db("SELECT name FROM organizations WHERE id = 'org_01250'") == "org-01250");
  CHECK(t.db("SELECT COUNT(*) FROM connections") == "1100");
  CHECK(t.db("SELECT COUNT(DISTINCT id) FROM connections") == "1100");
  check_checkpoint_paged(t, "/api/v2/organizations", 13);
  check_checkpoint_paged(t, "/api/v2/connections", 11);
}

TEST_CASE("an organization with more than 1,000 members has them all synced by checkpoint pagination") {
  Tenant t;
  for (int i = 3; i <= 1100; ++i) t.auth0.organizations[0].member_ids.push_back("auth0|" + std::to_string(i));
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("organization_members"))});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM organization_members WHERE organization_id = 'org_a'") == "1100");
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM organization_members WHERE organization_id = 'org_a'") == "1100");
  CHECK(t.db("SELECT COUNT(*) FROM organization_members WHERE organization_id = 'org_b'") == "1");
  check_checkpoint_paged(t, "/api/v2/organizations/org_a/members", 11);
  check_checkpoint_paged(t, "/api/v2/organizations", 1);
}

TEST_CASE("more than 1,000 users in one updated_at millisecond fail the users stream, naming the instant") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(1001);
  for (auto& user : t.auth0.edit_users()) user.updated_at = "2024-03-01T10:00:00.123Z";
  t.auth0.add_users(5);  // others, before and after it: windows are split around the crowded millisecond
  t.auth0.edit_users()[1001].updated_at = "2024-03-01T09:00:00.000Z";
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("users", "incremental_append_dedup"))});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream users failed: auth0 read: 1001 users share updated_at "
                                      "2024-03-01T10:00:00.123Z, more than the 1000 a user search returns, and one "
                                      "millisecond cannot be split: the rest cannot be read this way") &&
                          Catch::Contains("[source]"));
  // None of the crowded millisecond was stored; the window before it was.
  CHECK(t.db("SELECT COUNT(*) FROM users WHERE updated_at = '2024-03-01T10:00:00.123Z'") == "0");
  CHECK(t.db("SELECT COUNT(*) FROM users WHERE user_id = 'auth0|1002'") == "1");
  for (const auto& request : t.requests_to("/api/v2/users")) {
    CHECK((std::stoul(request.query("page")) + 1) * std::stoul(request.query("per_page")) <= 1000);
  }
}

TEST_CASE("exactly 1,000 users in one updated_at millisecond are all read") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(1000);
  for (auto& user : t.auth0.edit_users()) user.updated_at = "2024-03-01T10:00:00.123Z";
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("users", "incremental_append_dedup"))});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "1000");
}

TEST_CASE("a user updated while its window's pages are read shifts no other user out of the run") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(250);  // three pages of 100 in one window
  // After the first page, the first user is updated (to after the run's
  // start): it leaves the window and every later offset moves by one.
  bool updated = false;
  t.auth0.after_users_page = [&updated](auth0_fake::FakeAuth0& tenant, size_t page) {
    if (page == 0 && !updated) {
      tenant.edit_users()[0].updated_at = "2999-01-01T00:00:00.000Z";
      updated = true;
    }
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("users", "incremental_append"))});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("changed while its pages were read (250 users, then 249, 100 read); reading it again"));
  // Every user still in the window, each once (incremental_append keeps duplicates, so a
  // window emitted twice would show), and auth0|101, the one the shift would skip.
  CHECK(t.db("SELECT COUNT(*) FROM users") == "249");
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "249");
  CHECK(t.db("SELECT COUNT(*) FROM users WHERE user_id = 'auth0|101'") == "1");
}

TEST_CASE("a users window that changes on every read fails the stream, naming the window, and stores none of it") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(150);
  t.auth0.after_users_page = [](auth0_fake::FakeAuth0& tenant, size_t page) {
    if (page == 0) tenant.edit_users().pop_back();  // deleted by someone else, every time
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("users", "incremental_append"))});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream users failed: auth0 read: users updated_at [") &&
                          Catch::Contains("changed while its pages were read (148 users, then 147, 100 read) 3 times "
                                          "in a row; nothing of it was stored"));
  CHECK(t.db("SELECT COUNT(*) FROM users") == "0");
}

TEST_CASE("a page-listed stream whose pages end before the reported total fails instead of stopping silently") {
  // Roles offer no checkpoint pagination. A server that answers empty pages
  // past the first 1,000 while reporting 1,500 would cut the table short.
  Tenant t;
  t.auth0.roles.clear();
  for (int i = 1; i <= 1500; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "rol_%05d", i);
    t.auth0.roles.push_back(json::object{{"id", id}, {"name", id}, {"description", "r"}});
  }
  t.intercept = [](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/roles" || std::stoul(r.query("page", "0")) < 10) return std::nullopt;
    return FakeResponse::json(200, json::object{{"start", std::stoul(r.query("page")) * 100}, {"limit", 100},
                                                {"total", 1500}, {"roles", json::array{}}});
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("roles"))});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream roles failed: auth0 read: GET /api/v2/roles: the pages ended after "
                                      "1000 of the 1500 records the API reports; the rest cannot be listed by page") &&
                          Catch::Contains("[source]"));
  CHECK(t.requests_to("/api/v2/roles").size() == 11);
}

TEST_CASE("an organizations listing whose next checkpoint never changes fails after one repeat") {
  Tenant t;
  const std::string stuck = "cp1.stuck-checkpoint-7f3a";
  t.intercept = [&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/organizations" || !r.has_query("take")) return std::nullopt;
    return FakeResponse::json(200, json::object{{"organizations", json::array{json::object{{"id", "org_a"}, {"name", "acme"}}}},
                                                {"next", stuck}});
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("organizations"))});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream organizations failed: auth0 read: GET /api/v2/organizations: pagination "
                                      "did not advance: page 2 returned the page token of page 1 again") &&
                          Catch::Contains("[source]"));
  CHECK_THAT(run.all(), !Catch::Contains(stuck));
  CHECK(t.requests_to("/api/v2/organizations").size() == 2);
}

TEST_CASE("logs whose from checkpoint never advances fail after one repeat, no event stored twice") {
  Tenant t;
  const std::string first = t.auth0.log_ids[0];
  t.intercept = [&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/logs" || !r.has_query("from")) return std::nullopt;
    // The same two events, whatever `from` asks for.
    json::array events;
    for (const char* id : {"90020000000000000000000002", "90020000000000000000000003"}) {
      events.push_back(json::object{{"log_id", id}, {"date", "2024-02-01T00:00:00.000Z"}, {"type", "s"}});
    }
    return FakeResponse::json(200, events);
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret, only("logs", "incremental_append"))});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream logs failed: auth0 read: GET /api/v2/logs: pagination did not advance: "
                                      "page 2 returned the checkpoint of page 1 again") &&
                          Catch::Contains("[source]"));
  // The oldest event, then the two: each once, the checkpoint after them.
  CHECK(t.db("SELECT COUNT(*) FROM logs") == "3");
  CHECK(t.db("SELECT COUNT(DISTINCT log_id) FROM logs") == "3");
  CHECK(t.db("SELECT MIN(log_id) FROM logs") == first);
  CHECK(t.requests_to("/api/v2/logs").size() == 3);
}
