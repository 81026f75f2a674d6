// Users windows read in parallel, through real syncs into SQLite: whatever
// order the answers come in, windows are stored and checkpointed in
// updated_at order, each once, and a window that fails leaves exactly the
// windows before it stored, from where the next run resumes.
#include "auth0_tenant.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include <sluice/support/timestamp.hpp>

using namespace sluice::test;
using namespace auth0_test;

namespace {

json::array users_in(const std::string& mode) { return json::array{json::object{{"name", "users"}, {"mode", mode}}}; }

// The include_totals total of a /users answer.
size_t total_of(const FakeResponse& answer) {
  return static_cast<size_t>(json::parse(answer.body).at("total").to_number<int64_t>());
}

// A window that fits one user search, asked for its first page: the reader
// will read this window's users and store them.
bool first_page_of_a_read_window(const FakeRequest& r, const FakeResponse& answer) {
  if (r.path != "/api/v2/users" || !r.has_query("q") || r.query("page") != "0" || answer.status != 200) return false;
  const size_t total = total_of(answer);
  return total > 0 && total < 1000;
}

// The [lo, hi] of a /users request's q=updated_at:[lo TO hi], as sent.
std::pair<std::string, std::string> window_of(const FakeRequest& r) {
  const std::string q = r.query("q");
  const size_t open = q.find('['), to = q.find(" TO "), close = q.find(']');
  if (open == std::string::npos || to == std::string::npos || close == std::string::npos) return {};
  return {q.substr(open + 1, to - open - 1), q.substr(to + 4, close - to - 4)};
}

// The window that starts right after one ending at `hi` (Auth0 keeps
// updated_at to the millisecond).
std::string next_millisecond(const std::string& hi) {
  auto t = sluice::support::parse_rfc3339(hi);
  REQUIRE(t);
  return sluice::support::format_rfc3339({t->micros + 1000}, 3);
}

// Sets the connection file's source.config.concurrency.
void set_concurrency(const std::string& conn_file, int n) {
  std::ifstream in(conn_file);
  std::stringstream text;
  text << in.rdbuf();
  json::value conn = json::parse(text.str());
  conn.at("source").at("config").as_object()["concurrency"] = n;
  std::ofstream(conn_file, std::ios::trunc) << json::serialize(conn);
}

// Rows stored out of updated_at order (by insertion order, SQLite's rowid).
std::string rows_out_of_order(const Tenant& t) {
  return t.db("SELECT COUNT(*) FROM users a JOIN users b ON b.rowid = a.rowid + 1 WHERE b.updated_at < a.updated_at");
}

}  // namespace

TEST_CASE("users windows answered out of order are stored and checkpointed in updated_at order, each user once") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(2600);  // several windows under the 1,000 cap
  // The first window the reader will store that is not the last is answered
  // only once the window right after it (windows tile the range, so it
  // starts a millisecond after this one ends) has been answered. The reader
  // asks the parts of a split together, ahead of the one it waits for, so
  // that window is in flight or already answered whenever this one arrives:
  // no timer decides.
  std::mutex mutex;
  std::condition_variable changed;
  std::string end;                     // hi of the first request: the whole range's
  std::set<std::string> answered;      // lo of every /users request answered
  std::optional<std::string> after;    // lo of the window after the held one
  t.intercept = [&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/users" || !r.has_query("q")) return std::nullopt;
    const auto [lo, hi] = window_of(r);
    FakeResponse answer = t.auth0(r);
    std::lock_guard lock(mutex);
    if (end.empty()) end = hi;
    if (!after && hi != end && first_page_of_a_read_window(r, answer)) {
      after = next_millisecond(hi);
      answer.hold = [&] {
        std::unique_lock wait(mutex);
        changed.wait_for(wait, std::chrono::seconds(60), [&] { return answered.count(*after) > 0; });
      };
      return answer;
    }
    answered.insert(lo);
    changed.notify_all();
    return answer;
  };
  const std::string conn = t.connection(t.auth0.client_secret, users_in("incremental_append"));
  // 16: the reader keeps 32 pages in flight, so every part of a split is
  // asked in one pass, the one after the held window included.
  set_concurrency(conn, 16);
  auto run = run_sluice({"sync", conn});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  REQUIRE(after);
  CHECK(answered.count(*after) > 0);  // the later window was answered first
  // incremental_append keeps duplicates: a window stored twice would show.
  CHECK(t.db("SELECT COUNT(*) FROM users") == "2600");
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "2600");
  CHECK(rows_out_of_order(t) == "0");
  CHECK(t.users_checkpoint(conn) > t.auth0.users().back().updated_at);
}

TEST_CASE("a users window that fails stores exactly the windows before it, and the next run resumes after them") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(2600);
  // The window holding user 1500 (mid-tenant) is refused; later windows
  // are asked meanwhile and must not be stored.
  const std::string middle = t.auth0.users()[1499].updated_at;
  std::string failed_lo;  // the refused window's lower bound
  t.intercept = [&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/users") return std::nullopt;
    FakeResponse answer = t.auth0(r);
    if (!first_page_of_a_read_window(r, answer)) return answer;
    const std::string q = r.query("q");  // updated_at:[LO TO HI]
    const std::string lo = q.substr(12, q.find(" TO ") - 12);
    const std::string hi = q.substr(q.find(" TO ") + 4, q.size() - q.find(" TO ") - 5);
    if (lo > middle || hi < middle) return answer;
    failed_lo = lo;
    return FakeResponse::json(400, json::object{{"statusCode", 400}, {"error", "Bad Request"},
                                                {"message", "Query validation error"}, {"errorCode", "invalid_query_string"}});
  };
  const std::string conn = t.connection(t.auth0.client_secret, users_in("incremental_append"));
  auto run = run_sluice({"sync", conn});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream users failed") && Catch::Contains("HTTP 400") &&
                          Catch::Contains("Query validation error"));
  REQUIRE_FALSE(failed_lo.empty());
  // Every user before the refused window, each once, none after it.
  size_t before = 0;
  for (const auto& user : t.auth0.users()) before += user.updated_at < failed_lo ? 1 : 0;
  CHECK(t.db("SELECT COUNT(*) FROM users") == std::to_string(before));
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == std::to_string(before));
  CHECK(t.db("SELECT COUNT(*) FROM users WHERE updated_at >= '" + failed_lo + "'") == "0");
  CHECK(rows_out_of_order(t) == "0");
  // The checkpoint is the end of the window before: the millisecond before.
  const std::string checkpoint = t.users_checkpoint(conn);
  CHECK(checkpoint < failed_lo);
  CHECK(t.db("SELECT COUNT(*) FROM users WHERE updated_at > '" + checkpoint + "'") == "0");

  // The next run reads from there: every user, each once (users are a
  // second apart, so none sits on the checkpoint's millisecond to be read again).
  t.intercept = nullptr;
  auto again = run_sluice({"sync", conn});
  INFO(again.all());
  REQUIRE(again.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM users") == "2600");
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "2600");
  CHECK(rows_out_of_order(t) == "0");
}

TEST_CASE("with concurrency 1 the users stream never has two requests in flight") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(1500);
  std::mutex mutex;
  size_t in_flight = 0, peak = 0;
  t.intercept = [&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/users") return std::nullopt;
    FakeResponse answer = t.auth0(r);
    std::lock_guard lock(mutex);
    peak = std::max(peak, ++in_flight);
    answer.hold = [&] {
      std::lock_guard out(mutex);
      --in_flight;
    };
    return answer;
  };
  const std::string conn = t.connection(t.auth0.client_secret, users_in("incremental_append"));
  set_concurrency(conn, 1);
  auto run = run_sluice({"sync", conn});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "1500");
  CHECK(peak == 1);
}

TEST_CASE("at concurrency 16 the tenant's rate-limit headers pace the users stream: every user stored, no 429 drawn, "
          "and the log says it waits for the reset") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(2600);
  t.auth0.rate_limit = 20;  // per second: a few windows' worth of requests
  const std::string conn = t.connection(t.auth0.client_secret, users_in("incremental_append"));
  set_concurrency(conn, 16);
  auto run = run_sluice({"sync", conn});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "2600");
  CHECK(t.db("SELECT COUNT(*) FROM users") == "2600");
  CHECK(t.auth0.rate_limited == 0);
  CHECK_THAT(run.all(), Catch::Contains("requests remain of 20 until its rate limit resets in") &&
                            Catch::Contains("new requests wait for the reset"));
}
