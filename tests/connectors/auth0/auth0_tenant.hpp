// End-to-end set-up for Auth0 tests: the fake tenant behind the test kit's
// FakeServer (TLS with its own CA), an optional interceptor that answers
// some requests in its place, and a connection file pointing at it that
// syncs into a temporary SQLite file through the real sluice CLI.
#pragma once

#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"
#include "fake_auth0.hpp"

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace auth0_test {

namespace json = boost::json;
using auth0_fake::FakeAuth0;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;
using sluice::testkit::FakeServer;

struct Tenant {
  FakeAuth0 auth0;
  // When set, answers the requests it returns a response for, instead of the fake.
  std::function<std::optional<FakeResponse>(const FakeRequest&)> intercept;
  // Every request the fake (not `intercept`) answered, with its answer.
  struct Exchange {
    FakeRequest request;
    FakeResponse response;
  };
  std::vector<Exchange> fake_exchanges;  // read once the CLI has exited
  FakeServer server{[this](const FakeRequest& r) {
    if (intercept) {
      if (auto response = intercept(r)) return *response;
    }
    FakeResponse response = auth0(r);
    fake_exchanges.push_back({r, response});
    return response;
  }};
  sluice::test::TempDir dir;

  // 30 users, organizations org_a (2 members) and org_b (1), 250 log events.
  Tenant();

  // Writes auth0.json with client credentials using `secret`, and the stream
  // selections (empty: every stream in its default mode).
  std::string connection(const std::string& secret, const json::array& streams = {});
  std::string connection_with(const json::object& credentials, const json::array& streams = {});

  std::string db(const std::string& sql) const;
  // The users stream's committed checkpoint, {"updated_at": "..."}, as `sluice state` shows it.
  std::string users_checkpoint(const std::string& conn) const;
  // The requests the server received for `path` (decoded, without the query).
  std::vector<FakeRequest> requests_to(const std::string& path) const;
};

}  // namespace auth0_test
