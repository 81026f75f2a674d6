#include "fake_auth0.hpp"

#include <chrono>

#include <sluice/support/timestamp.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <regex>

namespace auth0_fake {

namespace json = boost::json;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

namespace {

FakeResponse api_error(int status, const std::string& error, const std::string& message, const std::string& code) {
  return FakeResponse::json(status, json::object{{"statusCode", status}, {"error", error}, {"message", message},
                                                 {"errorCode", code}});
}

const char* scope_for(const std::string& path) {
  if (path.rfind("/api/v2/users", 0) == 0) return "read:users";
  if (path.rfind("/api/v2/clients", 0) == 0) return "read:clients";
  if (path.rfind("/api/v2/connections", 0) == 0) return "read:connections";
  if (path.rfind("/api/v2/roles", 0) == 0) return "read:roles";
  if (path.find("/members") != std::string::npos) return "read:organization_members";
  if (path.rfind("/api/v2/organizations", 0) == 0) return "read:organizations";
  if (path.rfind("/api/v2/logs", 0) == 0) return "read:logs";
  return nullptr;
}

// No cap on page-based results: the endpoint documents none (clients, roles).
constexpr size_t kNoCap = static_cast<size_t>(-1);

// Whether the include_totals envelope has "length": the spec declares it for
// users and logs only (ListUsersOffsetPaginatedResponseContent,
// ListLogOffsetPaginatedResponseContent); the other envelopes are closed
// objects of start, limit, total and the array.
enum class Length { no, yes };

// page/per_page/include_totals over `count` items, of which `item(i)` makes
// the i-th (only those of the page asked for are made), as every list
// endpoint does. `count` is of all matching items, past the cap too; a page
// that reaches past `cap` is refused with the error the users endpoint
// documents.
FakeResponse listing(const FakeRequest& r, size_t count, const std::function<json::value(size_t)>& item,
                     const std::string& key, size_t cap, Length length = Length::no) {
  const size_t per_page = static_cast<size_t>(std::stoul(r.query("per_page", "50")));
  const size_t page = static_cast<size_t>(std::stoul(r.query("page", "0")));
  if (per_page > 100 || per_page < 1) {
    return api_error(400, "Bad Request",
                     "Query validation error: 'Too big: must be at most 100' on property per_page (Number of results "
                     "per page. Paging is disabled if parameter not sent.).",
                     "invalid_query_string");
  }
  if (cap != kNoCap && (page + 1) * per_page > cap) {
    return api_error(400, "Bad Request",
                     "You can only page through the first 1000 records. See "
                     "https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation",
                     "invalid_paging");
  }
  json::array slice;
  for (size_t i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) slice.push_back(item(i));
  if (r.query("include_totals") != "true") return FakeResponse::json(200, slice);
  json::object envelope{{"start", page * per_page}, {"limit", per_page}};
  if (length == Length::yes) envelope["length"] = slice.size();
  envelope["total"] = count;
  envelope[key] = std::move(slice);
  return FakeResponse::json(200, envelope);
}

FakeResponse listing(const FakeRequest& r, const json::array& items, const std::string& key, size_t cap,
                     Length length = Length::no) {
  return listing(r, items.size(), [&](size_t i) { return items[i]; }, key, cap, length);
}

// The opaque `next` of a checkpoint page. Auth0 documents it only as an
// identifier for `from`; the fake's names the last item handed out, in hex.
std::string next_token(const std::string& last_id) {
  std::string token = "cp1.";
  char hex[3];
  for (unsigned char c : last_id) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    token += hex;
  }
  return token;
}

// Checkpoint pagination, as GET /clients, /connections, /organizations and
// /organizations/{id}/members document it: without `from` the first `take`
// items (default 50, at most 100) in id order, then those after the item
// `from` names; "next" is present while more remain. No cap.
FakeResponse checkpoint_listing(const FakeRequest& r, json::array items, const std::string& key,
                                const std::string& id_key) {
  const size_t take = static_cast<size_t>(std::stoul(r.query("take", "50")));
  if (take > 100 || take < 1) {
    return api_error(400, "Bad Request", "Query validation error: 'Too big: must be at most 100' on property take",
                     "invalid_query_string");
  }
  auto id_of = [&](const json::value& item) { return std::string(item.at(id_key).as_string()); };
  std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) { return id_of(a) < id_of(b); });
  size_t start = 0;
  if (r.has_query("from")) {
    const std::string from = r.query("from");
    auto after = std::find_if(items.begin(), items.end(), [&](const auto& item) { return next_token(id_of(item)) == from; });
    if (after == items.end()) {
      return api_error(400, "Bad Request", "Query validation error: Invalid checkpoint in property from", "invalid_query_string");
    }
    start = static_cast<size_t>(after - items.begin()) + 1;
  }
  json::array page;
  for (size_t i = start; i < items.size() && page.size() < take; ++i) page.push_back(items[i]);
  json::object body{{key, page}};
  if (start + page.size() < items.size()) body["next"] = next_token(id_of(page.back()));
  return FakeResponse::json(200, body);
}

bool checkpoint_paged(const FakeRequest& r) { return r.has_query("take") || r.has_query("from"); }

}  // namespace

void FakeAuth0::add_users(int n) {
  constexpr int64_t k2024 = 1'704'067'200;  // 2024-01-01T00:00:00Z
  for (int i = 1; i <= n; ++i) {
    std::string ts = sluice::support::format_rfc3339({(k2024 + i) * 1'000'000}, 3);  // user i: i seconds later
    users_.push_back({"auth0|" + std::to_string(users_.size() + 1), "user" + std::to_string(i) + "@example.com", ts});
  }
  sorted_ = false;
}

void FakeAuth0::add_organizations(int n, int members) {
  for (int i = 1; i <= n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "org_%05d", static_cast<int>(organizations.size()) + 1);
    Organization org{id, "org-" + std::string(id + 4), {}};
    for (int m = 1; m <= members; ++m) org.member_ids.push_back("auth0|" + std::string(id) + "-" + std::to_string(m));
    organizations.push_back(std::move(org));
  }
}

void FakeAuth0::add_connections(int n) {
  for (int i = 1; i <= n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "con_%05zu", connections.size() + 1);
    connections.push_back(json::object{{"id", id}, {"name", "db-" + std::string(id + 4)}, {"strategy", "auth0"}});
  }
}

FakeResponse FakeAuth0::operator()(const FakeRequest& r) {
  if (r.method == "POST" && r.path == "/oauth/token") return token(r);
  if (rate_limit <= 0) return management(r);
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  if (now >= window_end_) {
    window_end_ = (now / rate_window_seconds + 1) * rate_window_seconds;
    window_used_ = 0;
  }
  FakeResponse answer;
  if (window_used_ >= rate_limit) {
    ++rate_limited;
    answer = api_error(429, "Too Many Requests", "Global limit has been reached", "too_many_requests");
  } else {
    ++window_used_;
    answer = management(r);
  }
  return answer.with_header("X-RateLimit-Limit", std::to_string(rate_limit))
      .with_header("X-RateLimit-Remaining", std::to_string(rate_limit - window_used_))
      .with_header("X-RateLimit-Reset", std::to_string(window_end_));
}

FakeResponse FakeAuth0::management(const FakeRequest& r) {
  const std::string auth = r.header("Authorization");
  if (auth.rfind("Bearer ", 0) != 0 || !issued_.count(auth.substr(7))) {
    return api_error(401, "Unauthorized", "Invalid token", "invalid_token");
  }
  if (const char* scope = scope_for(r.path); scope && !scopes.count(scope)) {
    return api_error(403, "Forbidden", std::string("Insufficient scope, expected any of: ") + scope, "insufficient_scope");
  }
  if (r.path == "/api/v2/users") return users_page(r);
  if (r.path == "/api/v2/logs") return logs(r);
  if (r.path == "/api/v2/clients") {
    return checkpoint_paged(r) ? checkpoint_listing(r, clients, "clients", "client_id")
                               : listing(r, clients, "clients", kNoCap);
  }
  if (r.path == "/api/v2/connections") {
    return checkpoint_paged(r) ? checkpoint_listing(r, connections, "connections", "id")
                               : listing(r, connections, "connections", listing_cap);
  }
  if (r.path == "/api/v2/roles") return listing(r, roles, "roles", kNoCap);
  if (r.path == "/api/v2/organizations") {
    json::array orgs;
    for (const auto& org : organizations) orgs.push_back(json::object{{"id", org.id}, {"name", org.name}, {"display_name", org.name}});
    return checkpoint_paged(r) ? checkpoint_listing(r, std::move(orgs), "organizations", "id")
                               : listing(r, orgs, "organizations", listing_cap);
  }
  static const std::regex members_path("^/api/v2/organizations/([^/]+)/members$");
  std::smatch match;
  if (std::regex_match(r.path, match, members_path)) {
    for (const auto& org : organizations) {
      if (org.id != match[1].str()) continue;
      json::array members;
      for (const auto& id : org.member_ids) members.push_back(json::object{{"user_id", id}, {"email", id + "@example.com"}});
      return checkpoint_paged(r) ? checkpoint_listing(r, std::move(members), "members", "user_id")
                                 : listing(r, members, "members", listing_cap);
    }
    return api_error(404, "Not Found", "No organization found by that id or name", "inexistent_organization");
  }
  return api_error(404, "Not Found", "Not Found", "not_found");
}

std::string FakeAuth0::issue_token() {
  const std::string token = "fake-mgmt-token-" + std::to_string(++tokens_issued);
  issued_.insert(token);
  return token;
}

FakeResponse FakeAuth0::token(const FakeRequest& r) {
  ++token_requests;
  auto form = r.form();
  if (form["grant_type"] != "client_credentials" || form["client_id"] != client_id ||
      form["client_secret"] != client_secret) {
    return FakeResponse::json(401, json::object{{"error", "access_denied"}, {"error_description", "Unauthorized"}});
  }
  const std::string audience = "https://" + domain + "/api/v2/";
  if (form["audience"] != audience) {
    return FakeResponse::json(403, json::object{{"error", "access_denied"},
                                                {"error_description", "Service not found: " + form["audience"]}});
  }
  const std::string token = issue_token();
  std::string scope;
  for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
  return FakeResponse::json(200, json::object{{"access_token", token}, {"scope", scope}, {"expires_in", 86400},
                                              {"token_type", "Bearer"}});
}

// GET /users: without q, users in the order they were created; with
// q=updated_at:[A TO B] (either end may be *), the matching users in
// updated_at order, found by binary search.
FakeResponse FakeAuth0::users_page(const FakeRequest& r) {
  static const std::regex range(R"(^updated_at:\[(\S+) TO (\S+)\]$)");
  std::smatch m;
  const std::string q = r.query("q");
  size_t first = 0, count = users_.size();
  const std::vector<size_t>* order = nullptr;  // null: creation order
  if (!q.empty()) {
    if (!std::regex_match(q, m, range)) return api_error(400, "Bad Request", "Invalid query: " + q, "invalid_query_string");
    if (!sorted_) {
      by_updated_at_.resize(users_.size());
      for (size_t i = 0; i < users_.size(); ++i) by_updated_at_[i] = i;
      std::stable_sort(by_updated_at_.begin(), by_updated_at_.end(),
                       [&](size_t a, size_t b) { return users_[a].updated_at < users_[b].updated_at; });
      sorted_ = true;
    }
    const std::string lo = m[1].str(), hi = m[2].str();
    auto begin = by_updated_at_.begin(), end = by_updated_at_.end();
    auto at = [&](size_t i) -> const std::string& { return users_[i].updated_at; };
    if (lo != "*") begin = std::lower_bound(begin, end, lo, [&](size_t i, const std::string& v) { return at(i) < v; });
    if (hi != "*") end = std::upper_bound(begin, end, hi, [&](const std::string& v, size_t i) { return v < at(i); });
    first = static_cast<size_t>(begin - by_updated_at_.begin());
    count = static_cast<size_t>(std::max(end, begin) - begin);
    order = &by_updated_at_;
  }
  size_t served = 0;
  FakeResponse response = listing(
      r, count,
      [&](size_t i) -> json::value {
        const User& u = users_[order ? (*order)[first + i] : first + i];
        ++served;
        return json::object{{"user_id", u.user_id}, {"email", u.email}, {"updated_at", u.updated_at},
                            {"created_at", "2023-12-31T00:00:00.000Z"}, {"logins_count", 1}};
      },
      "users", listing_cap, Length::yes);
  if (response.status == 200 && r.query("include_totals") == "true") users_served += served;
  if (after_users_page) after_users_page(*this, std::stoul(r.query("page", "0")));
  return response;
}

FakeResponse FakeAuth0::logs(const FakeRequest& r) {
  auto event = [](const std::string& id) {
    return json::object{{"log_id", id}, {"date", "2024-02-01T00:00:00.000Z"}, {"type", "s"},
                        {"description", "Success Login"}, {"user_id", "auth0|1"}};
  };
  if (r.has_query("from")) {
    const std::string from = r.query("from");
    const size_t take = static_cast<size_t>(std::stoul(r.query("take", "50")));
    if (take > 100) return api_error(400, "Bad Request", "Query validation error: 'Too big: must be at most 100' on property take", "invalid_query_string");
    json::array out;
    for (const auto& id : log_ids) {
      if (id > from && out.size() < take) out.push_back(event(id));
    }
    return FakeResponse::json(200, out);
  }
  json::array all;
  for (const auto& id : log_ids) all.push_back(event(id));
  return listing(r, all, "logs", 1000, Length::yes);
}

}  // namespace auth0_fake
