// A fake Databricks workspace for tests, written from Databricks' docs and
// the hand-written spec (reference/api-specs/handwritten/databricks-sql-uc.yaml):
//  - authentication: "Authorization: Bearer <token>" must be the registered
//    personal access token or a token this fake issued; else 401
//    {"error_code": "UNAUTHENTICATED", ...}.
//    https://docs.databricks.com/aws/en/dev-tools/auth/pat
//  - POST /oidc/v1/token: OAuth M2M client credentials, the client id and
//    secret in HTTP Basic, grant_type=client_credentials, scope=all-apis;
//    answers an hour-long access token, or 401 {"error": "invalid_client"}.
//    https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
//  - POST /api/2.0/sql/statements: checks the body (warehouse_id,
//    wait_timeout 0 or 5-50 s, on_wait_timeout, disposition, format), runs
//    the statement with its named parameters on fake_warehouse.hpp, answers
//    PENDING (then RUNNING) while the test says so, SUCCEEDED with the manifest
//    and chunk 0, or FAILED with status.error and sql_state (HTTP 200).
//    Named parameters [{name, value, type}] are bound to the :name markers
//    (never pasted); a marker without one FAILS with UNBOUND_SQL_PARAMETER
//    (42P02), a value its type cannot read with CAST_INVALID_INPUT (22018).
//    A statement not done within wait_timeout is PENDING with
//    on_wait_timeout CONTINUE, CANCELED at once with CANCEL.
//    https://docs.databricks.com/api/workspace/statementexecution/executestatement
//  - GET /api/2.0/sql/statements/{id}, .../result/chunks/{index}, POST
//    .../cancel (answers {}; a statement still running becomes CANCELED; the
//    cancel is recorded either way).
//    https://docs.databricks.com/api/workspace/statementexecution
//    https://docs.databricks.com/api/workspace/statementexecution/cancelexecution
//  - INLINE chunks carry data_array and next_chunk_index/_internal_link;
//    EXTERNAL_LINKS chunks carry a presigned link to the second, "cloud
//    storage" server, with an expiration and an http_headers entry the
//    download must send. The storage server refuses a request that carries
//    an Authorization header (400, as S3 does: one auth mechanism only), a
//    link past its expiration (403 "Request has expired") or with a wrong
//    signature, and serves the chunk's rows as a JSON array.
//    https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial
//  - GET /api/2.1/unity-catalog/schemas and /tables: pages of
//    `uc_page_size` (0: all) with next_page_token, and optionally one empty
//    page that still carries a token (the API allows it); 403 PERMISSION_DENIED
//    without USE CATALOG.
//    https://docs.databricks.com/api/workspace/schemas/list
//    https://docs.databricks.com/api/workspace/tables/list
// Faults: statuses answered to a chunk download (Retry-After: 0), links
// issued already expired (honestly, or with an expiration that lies), no USE
// CATALOG, a barrier holding downloads until several are in flight.
#pragma once

#include "fake_warehouse.hpp"

#include <testkit/fake_server.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

namespace databricks_fake {

using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

inline constexpr const char* kWarehouseId = "1234567890abcdef";

class FakeDatabricks {
 public:
  FakeDatabricks(std::string catalog, std::string personal_access_token);

  // The workspace's handler, and the storage host's (served by a second server at `storage_base_url`).
  FakeResponse handle(const FakeRequest& request);
  FakeResponse handle_storage(const FakeRequest& request);
  void set_storage_base_url(std::string url) { set([&](Knobs& k) { k.storage_base_url = std::move(url); }); }

  FakeWarehouse& warehouse() { return warehouse_; }

  void register_service_principal(std::string client_id, std::string secret) {
    set([&](Knobs& k) { k.client_id = std::move(client_id), k.client_secret = std::move(secret); });
  }
  // Rows per result chunk (default: all in one).
  void set_chunk_rows(size_t rows) { set([&](Knobs& k) { k.chunk_rows = rows; }); }
  // Statements starting with `prefix` answer PENDING this many times (the
  // POST's answer included) before SUCCEEDED (-1: forever).
  void set_pending_polls(int polls, std::string prefix = "") {
    set([&](Knobs& k) { k.pending_polls = polls, k.pending_prefix = std::move(prefix); });
  }
  bool wait_for_polls(size_t polls, std::chrono::seconds limit);
  // Statements starting with `prefix` run (RUNNING for `running_polls`
  // polls), then stop at the warehouse's STATEMENT_TIMEOUT of `seconds`:
  // state FAILED, status.error {"error_code": "DEADLINE_EXCEEDED",
  // "message": "Statement has timed out after N seconds (STATEMENT_TIMEOUT)."},
  // no sql_state. What the docs fix: the parameter "halts" a statement that
  // runs longer (https://docs.databricks.com/aws/en/sql/language-manual/parameters/statement_timeout);
  // CANCELED is only a cancel call or on_wait_timeout=CANCEL and FAILED
  // carries status.error, whose ServiceErrorCode for a deadline is
  // DEADLINE_EXCEEDED (https://docs.databricks.com/api/workspace/statementexecution/getstatement);
  // a warehouse reports a statement that ran too long as "DEADLINE_EXCEEDED:
  // This operation took too long" (databricks/databricks-sql-python#215).
  // The message text is this fake's: the connector keys on the error_code.
  void time_out_statements(std::string prefix, int running_polls, int seconds) {
    set([&](Knobs& k) { k.timeout_prefix = std::move(prefix), k.timeout_running_polls = running_polls, k.timeout_seconds = seconds; });
  }
  // Statements starting with `prefix` end CLOSED (succeeded, results no
  // longer available: what a poll sees over an hour after success).
  void set_closing(std::string prefix) { set([&](Knobs& k) { k.closing_prefix = std::move(prefix); }); }
  // The first `count` links issued for chunk `index` are already expired:
  // their expiration says so (honest), or says 15 minutes ahead while the
  // storage host refuses them as expired (clock skew, a revoked link).
  void expire_links(size_t index, size_t count, bool honest) {
    std::lock_guard lock(mutex_);
    expiring_[index] = {count, honest};
  }
  // Downloads of chunk `index` answer these statuses first, in turn (with
  // Retry-After: 0 so tests do not wait out the client's backoff).
  void fail_chunk(size_t index, std::vector<int> statuses);
  // Downloads wait until `in_flight` are being answered at once (or 10 s pass).
  void set_download_barrier(size_t in_flight) { set([&](Knobs& k) { k.barrier = in_flight; }); }
  size_t max_in_flight() const { return max_in_flight_; }
  // Unity Catalog pages of this many items; an empty page with a token first.
  void set_uc_paging(size_t page_size, bool empty_page_first) {
    set([&](Knobs& k) { k.uc_page_size = page_size, k.uc_empty_page_first = empty_page_first; });
  }
  // The principal has no USE CATALOG on the catalog.
  void deny_catalog() { set([&](Knobs& k) { k.catalog_denied = true; }); }

  // Observations.
  std::vector<json::object> statements() const;  // request bodies, in order
  std::vector<std::string> cancelled() const;    // statement ids cancelled
  size_t downloads(size_t index) const;          // storage requests for chunk `index`
  size_t chunk_requests(size_t index) const;     // GET .../result/chunks/{index}
  size_t tokens_issued() const;

 private:
  struct Result {
    std::string id, disposition;
    json::array columns;
    std::vector<json::array> chunks;  // rows of each chunk
    int64_t rows = 0;
    int polls_left = 0;
    std::string state = "SUCCEEDED";
    std::string sql_prefix;
  };
  struct Knobs {
    std::string token, client_id, client_secret, storage_base_url;
    size_t chunk_rows = 0;
    int pending_polls = 0;
    std::string pending_prefix;
    std::optional<std::string> closing_prefix, timeout_prefix;
    int timeout_running_polls = 0, timeout_seconds = 0;
    size_t barrier = 0;
    size_t uc_page_size = 0;
    bool uc_empty_page_first = false;
    bool catalog_denied = false;
  };
  template <class Change>
  void set(Change change) {
    std::lock_guard lock(mutex_);
    change(knobs_);
  }

  std::optional<FakeResponse> refuse_auth(const FakeRequest& request, const Knobs& knobs) const;
  FakeResponse token(const FakeRequest& request, const Knobs& knobs);
  FakeResponse submit(const FakeRequest& request, const Knobs& knobs);
  FakeResponse statement_answer(Result& result, const Knobs& knobs);
  json::object result_data(const Result& result, size_t index, const Knobs& knobs);
  FakeResponse unity_catalog(const FakeRequest& request, const Knobs& knobs);

  FakeWarehouse warehouse_;
  Knobs knobs_;

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::map<std::string, Result> results_;
  std::map<size_t, std::deque<int>> download_faults_;
  std::map<size_t, std::pair<size_t, bool>> expiring_;
  std::map<std::string, int64_t> link_expiry_;  // link signature -> expiry (epoch s); refused when past
  std::vector<json::object> statements_;
  std::vector<std::string> cancelled_, issued_tokens_;
  std::map<size_t, size_t> downloads_, chunk_requests_;
  size_t pending_answers_ = 0, next_id_ = 0, next_link_ = 0;
  size_t in_flight_ = 0;
  bool released_ = false;
  std::atomic<size_t> max_in_flight_{0};
};

}  // namespace databricks_fake
