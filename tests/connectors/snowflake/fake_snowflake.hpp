// A fake Snowflake SQL API v2 for tests, written from Snowflake's docs:
//  - authentication: a KEYPAIR_JWT must verify (RS256) against the user's
//    registered public key, its iss be ACCOUNT.USER.SHA256:<fingerprint of
//    that key> and sub ACCOUNT.USER (account and user compared upper-case),
//    exp in the future and at most an hour after iat; an OAUTH token must be
//    the registered one. Else 401 {"code": "390144", "message": "JWT token is invalid."}.
//    https://docs.snowflake.com/en/developer-guide/sql-api/authenticating
//  - POST /api/v2/statements: runs the statement with its bindings on
//    fake_database.hpp; 200 ResultSet with partition 0, or 202 QueryStatus
//    (code 333334) while "running"; 422 QueryFailureStatus for a failed one.
//    https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests
//    https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses
//  - GET /api/v2/statements/{handle}[?partition=N]: status (202 until done),
//    then partition N: partitions after 0 carry only "data", gzip-compressed
//    when the client accepts it and gzip is on.
//    https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses#retrieving-additional-partitions
//  - POST /api/v2/statements/{handle}/cancel: 200 CancelStatus; a statement
//    still running is cancelled: its status is then 422 QueryFailureStatus
//    {"code": "000604", "sqlState": "57014", "message": "SQL execution
//    canceled"} (the cancel is recorded either way).
//    https://docs.snowflake.com/en/developer-guide/sql-api/reference#post-api-v2-statements-statementhandle-cancel
//  - "timeout" (seconds, 0: the maximum, 604800): a statement still running
//    that long by the fake's statement clock is cancelled by Snowflake, and
//    its status answers 408 QueryStatus {"code": "000630", "sqlState":
//    "57014", "message": "Statement reached its statement or warehouse
//    timeout of N second(s) and was canceled."}.
//    https://docs.snowflake.com/en/developer-guide/sql-api/reference (POST /api/v2/statements: timeout; 408)
//  - bindings {"1": {"type", "value"}, ...} for the '?' in order, bound (never
//    pasted) when the statement runs; one missing is 422 002049 "bind
//    variable N not set". Values in the forms Snowflake's driver binds:
//    FIXED/REAL/TEXT as text, BOOLEAN true/false, DATE epoch milliseconds,
//    TIME nanoseconds of the day, TIMESTAMP_NTZ/LTZ epoch nanoseconds,
//    TIMESTAMP_TZ epoch nanoseconds, a space and the offset in minutes plus
//    1440 (snowflakedb/snowflake-connector-python converter.py
//    *_to_snowflake_bindings).
//    https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests#using-bind-variables-in-a-statement
//  - an expired result: Snowflake keeps a statement's result 24 hours; a
//    partition asked for after that answers 422 QueryFailureStatus
//    {"code": "000710", "sqlState": "02000", "message": "Result for query
//    <handle> has expired"} (the shape Snowflake's drivers report it in,
//    e.g. snowflakedb/snowflake-connector-python issue 1596).
//    https://docs.snowflake.com/en/user-guide/querying-persisted-results
// Faults: a status answered for a partition (429, 503), an expired result, a barrier
// that holds partition answers until several are in flight (proves the
// fetches overlap), a clock offset (expired JWTs).
#pragma once

#include "fake_database.hpp"

#include <testkit/fake_server.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

namespace snowflake_fake {

using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

class FakeSnowflake {
 public:
  // `account` as the JWT names it (ORG-ACCOUNT or the locator), `user` the
  // login name, `public_key_pem` the key registered with ALTER USER ... SET RSA_PUBLIC_KEY.
  FakeSnowflake(std::string account, std::string user, std::string public_key_pem, std::string database);

  FakeResponse handle(const FakeRequest& request);

  FakeDatabase& database() { return database_; }

  // Rows per result partition (default: all in one).
  void set_partition_rows(size_t rows) { set([&](Knobs& k) { k.partition_rows = rows; }); }
  // Each statement (starting with `prefix`) answers 202 this many times
  // before its result (-1: forever).
  void set_pending_polls(int polls, std::string prefix = "") {
    set([&](Knobs& k) { k.pending_polls = polls, k.pending_prefix = std::move(prefix); });
  }
  // Statements starting with `prefix` time out: 408 QueryStatus, as Snowflake
  // answers a statement it cancelled at its `timeout`.
  void set_timing_out(std::string prefix) { set([&](Knobs& k) { k.timing_out_prefix = std::move(prefix); }); }
  // Waits until `polls` status requests were answered 202 (false after `limit`).
  bool wait_for_polls(size_t polls, std::chrono::seconds limit);
  void set_gzip(bool on) { set([&](Knobs& k) { k.gzip = on; }); }
  // Partition `index` of every result answers these statuses first, in turn
  // (a body as Snowflake's errors have, and Retry-After: 0 so that tests do
  // not wait out the client's backoff); then its data.
  void fail_partition(size_t index, std::vector<int> statuses);
  // Results expire once partition `index` is asked for: it and every later
  // partition answer 422 000710 for good (0: results never expire).
  void expire_results_from_partition(size_t index) { set([&](Knobs& k) { k.expired_from = index; }); }
  // Partition answers wait until `in_flight` partition requests are being
  // answered at once (or 10 s pass); max_in_flight() tells the most seen.
  void set_partition_barrier(size_t in_flight) { set([&](Knobs& k) { k.barrier = in_flight; }); }
  size_t max_in_flight() const { return max_in_flight_; }
  // The clock statements run on (their "timeout"); default the system's.
  void set_statement_clock(std::function<std::chrono::system_clock::time_point()> now) {
    set([&](Knobs& k) { k.statement_clock = std::move(now); });
  }
  // The fake's clock runs this far ahead (a JWT made now looks expired).
  void set_clock_offset(std::chrono::seconds offset) { set([&](Knobs& k) { k.clock_offset = offset; }); }
  void register_public_key(std::string pem) { set([&](Knobs& k) { k.public_key_pem = std::move(pem); }); }
  void set_oauth_token(std::string token) { set([&](Knobs& k) { k.oauth_token = std::move(token); }); }

  // Observations.
  std::vector<json::object> statements() const;  // request bodies, in order
  std::vector<std::string> cancelled() const;    // handles cancelled
  size_t partition_requests(size_t index) const;

 private:
  struct Result {
    json::array row_type;
    std::vector<json::array> partitions;
    int64_t rows = 0;
    int polls_left = 0;
    int64_t created_on = 0;
    std::chrono::system_clock::time_point started;
    int64_t timeout_seconds = 604800;
    std::string ended;  // "" ; "cancelled" by a cancel call; "timed out" at its timeout
  };

  // The settings above, changed by the test's thread, read by the server's:
  // each request works on a copy taken under the lock.
  struct Knobs {
    std::string public_key_pem, oauth_token;
    size_t partition_rows = 0;
    int pending_polls = 0;
    std::string pending_prefix;
    std::optional<std::string> timing_out_prefix;
    bool gzip = false;
    std::chrono::seconds clock_offset{0};
    std::function<std::chrono::system_clock::time_point()> statement_clock = std::chrono::system_clock::now;
    size_t barrier = 0;
    size_t expired_from = 0;
  };
  template <class Change>
  void set(Change change) {
    std::lock_guard lock(mutex_);
    change(knobs_);
  }

  std::optional<FakeResponse> refuse_auth(const FakeRequest& request, const Knobs& knobs) const;
  FakeResponse submit(const FakeRequest& request, const Knobs& knobs);
  FakeResponse status(const std::string& handle, const FakeRequest& request, const Knobs& knobs);
  FakeResponse result_set(const std::string& handle, const Result& result) const;
  FakeResponse partition(const std::string& handle, size_t index, const FakeRequest& request, const Knobs& knobs);

  std::string account_, user_;
  FakeDatabase database_;
  Knobs knobs_;
  std::map<size_t, std::deque<int>> partition_faults_;

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  size_t in_flight_ = 0;
  size_t pending_answers_ = 0;
  bool released_ = false;
  std::atomic<size_t> max_in_flight_{0};
  std::map<std::string, Result> results_;
  std::vector<json::object> statements_;
  std::vector<std::string> cancelled_;
  std::map<size_t, size_t> partition_requests_;
};

// SHA256:<base64 of the SHA-256 of the DER SubjectPublicKeyInfo>, as DESC USER shows RSA_PUBLIC_KEY_FP.
std::string public_key_fingerprint(const std::string& public_key_pem);

}  // namespace snowflake_fake
