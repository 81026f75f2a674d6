// A fake Auth0 tenant that behaves like the Management API v2 on the wire,
// written from Auth0's documentation:
//  - token: https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow/call-your-api-using-the-client-credentials-flow
//    (errors as in https://auth0.com/docs/api/authentication#standard-error-responses)
//  - paging, include_totals envelope, the 1000-result cap:
//    https://auth0.com/docs/manage-users/user-search/view-search-results-by-page
//  - checkpoint pagination (take, from, next) of clients, connections,
//    organizations and their members, and which list endpoints cap page-based
//    results at 1000: the official OpenAPI document
//    (auth0/docs-v2 main/docs/oas/management/v2/management-api-oas.json,
//    GET /clients, /connections, /organizations, /organizations/{id}/members)
//  - user search syntax (updated_at ranges, sort):
//    https://auth0.com/docs/manage-users/user-search/user-search-query-syntax
//  - logs checkpoint pagination (from/take):
//    https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api
//  - error body and scopes: https://auth0.com/docs/api/management/v2 (403 insufficient_scope)
//  - rate limits, their X-RateLimit-* headers and the 429 body:
//    https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy
//    (apis.md 1.5: Reset is in UTC epoch seconds)
#pragma once

#include "testkit/fake_server.hpp"

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace auth0_fake {

struct User {
  std::string user_id, email, updated_at;  // updated_at: YYYY-MM-DDTHH:MM:SS.mmmZ
};

struct Organization {
  std::string id, name;
  std::vector<std::string> member_ids;
};

class FakeAuth0 {
 public:
  std::string domain = "acme.us.auth0.com";
  std::string client_id = "m2m-client";
  std::string client_secret = "m2m-SECRET-31337";
  std::set<std::string> scopes{"read:users", "read:clients", "read:connections", "read:roles",
                               "read:organizations", "read:organization_members", "read:logs"};
  size_t listing_cap = 1000;  // Auth0's documented cap on page-based results
  std::vector<Organization> organizations;
  boost::json::array clients{boost::json::object{{"client_id", "m2m-client"}, {"name", "Sluice"},
                                                 {"app_type", "non_interactive"}}};
  boost::json::array connections{boost::json::object{
      {"id", "con_1"}, {"name", "Username-Password-Authentication"}, {"strategy", "auth0"}}};
  boost::json::array roles{boost::json::object{{"id", "rol_admin"}, {"name", "admin"}, {"description", "Admins"}},
                           boost::json::object{{"id", "rol_viewer"}, {"name", "viewer"}, {"description", "Viewers"}}};
  std::vector<std::string> log_ids;  // ascending
  int tokens_issued = 0;
  std::atomic<int> token_requests{0};  // every POST /oauth/token, granted or not
  size_t users_served = 0;  // user records returned by /users
  // The Management API's rate limit: `rate_limit` requests per window of
  // `rate_window_seconds` of the wall clock (windows start on multiples of
  // it in epoch seconds), each answer saying X-RateLimit-Limit, -Remaining
  // and -Reset (the window's end), a request past it answered 429
  // too_many_requests. 0: no limit and no headers.
  int rate_limit = 0;
  int rate_window_seconds = 1;
  int rate_limited = 0;  // 429s answered
  // Called after each /users page is answered (with the page index asked):
  // a test changes the tenant between pages, as other clients do.
  std::function<void(FakeAuth0&, size_t page)> after_users_page;

  // A token the API accepts, as one copied from the Dashboard
  // (https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-testing).
  std::string issue_token();
  // n users auth0|N+1..N+n (N: the users so far), updated one second apart
  // from 2024-01-01T00:00:01Z.
  void add_users(int n);
  const std::vector<User>& users() const { return users_; }
  // To change, add or remove users (between requests, or in after_users_page);
  // the next /users request re-sorts them.
  std::vector<User>& edit_users() {
    sorted_ = false;
    return users_;
  }
  // n organizations org_00001..., each with `members` members.
  void add_organizations(int n, int members = 0);
  // n connections con_00001... (strategy auth0).
  void add_connections(int n);

  sluice::testkit::FakeResponse operator()(const sluice::testkit::FakeRequest& request);

 private:
  sluice::testkit::FakeResponse token(const sluice::testkit::FakeRequest& request);
  sluice::testkit::FakeResponse users_page(const sluice::testkit::FakeRequest& request);
  sluice::testkit::FakeResponse management(const sluice::testkit::FakeRequest& request);
  long long window_end_ = 0;  // epoch seconds: the rate window's reset
  int window_used_ = 0;
  sluice::testkit::FakeResponse logs(const sluice::testkit::FakeRequest& request);
  std::set<std::string> issued_;
  // Users and their positions ordered by updated_at (ties in insertion
  // order), so a /users request costs a binary search and its page, never a
  // pass over the tenant (the real search index answers in time independent
  // of tenant size).
  std::vector<User> users_;
  std::vector<size_t> by_updated_at_;
  bool sorted_ = false;
};

}  // namespace auth0_fake
