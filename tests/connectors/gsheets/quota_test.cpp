// Google's per-project quota (300 read requests a minute, shared by every
// user of the project: https://developers.google.com/workspace/sheets/api/limits)
// kept by the connector's project budget, on the fake that enforces it with
// 429 RESOURCE_EXHAUSTED. Two connections run in this one process, each its
// own SheetsApi with its own service account, on one injected clock: the
// fake's minute and the budgets' window move only when a budget sleeps.
#include "in_process.hpp"
#include "sheets_api.hpp"

#include <sluice/support/http_client.hpp>

#include <catch2/catch.hpp>

using namespace gsheets_test;
using namespace std::chrono;

namespace {


struct Clock {
  // The start of a minute a little ahead of the real one, so the fake's
  // quota minute starts with the test and tokens are within their hour.
  system_clock::time_point now = time_point_cast<minutes>(system_clock::now()) + minutes(1);
  std::vector<milliseconds> slept;
};

gsheets::Settings settings_for(const SheetsFixture& f, const std::string& key_json) {
  gsheets::Settings settings = direct_settings(f, key_json);
  settings.requests_per_minute = 4;
  settings.project_requests_per_minute = 6;
  return settings;
}

std::function<void(sluice::support::HttpOptions&)> on(Clock& clock) {
  return [&clock](sluice::support::HttpOptions& options) {
    options.now = [&clock] { return clock.now; };
    options.sleep = [&clock](milliseconds wait) {
      clock.slept.push_back(wait);
      clock.now += wait;
    };
  };
}

// The fake's project quota is 6 a minute and each user's 4: two accounts
// of one project can each stay under their own and still exceed it. The
// accounts (each test its own: budgets live as long as the process) are
// added to the fake's project and the spreadsheet is shared with them.
void small_quota(SheetsFixture& f, Clock& clock, const std::vector<std::string>& accounts) {
  f.fake->add(shared_spreadsheet({sheet(0, "Orders", header({"id"}), {{number(1)}})}));
  for (const auto& account : accounts) {
    f.fake->add_service_account(account, test_key().public_pem);
    f.fake->edit(kSpreadsheetId, [&](Spreadsheet& s) { s.shared_with.insert(account); });
  }
  f.fake->set_quota(4, 6);
  f.fake->set_clock([&clock] { return clock.now; });
}

std::string key_file(const SheetsFixture& f, const std::string& account, const std::string& project) {
  return sluice::testkit::service_account_json(account, test_key(), f.server->base_url() + "/token", project);
}

// Two connections in this process, accounts `a` and `b` of the fake's one
// project, whose key files name `project_a` and `project_b`.
struct TwoConnections {
  SheetsFixture f;
  Clock clock;
  HostCapture log;
  sluice::Logger logger{&log.host};
  gsheets::Settings first_settings, second_settings;  // outlive the APIs, which keep them
  std::unique_ptr<gsheets::SheetsApi> first, second;

  TwoConnections(const std::string& a, const std::string& project_a, const std::string& b, const std::string& project_b) {
    small_quota(f, clock, {a, b});
    first_settings = settings_for(f, key_file(f, a, project_a));
    second_settings = settings_for(f, key_file(f, b, project_b));
    first = std::make_unique<gsheets::SheetsApi>(first_settings, logger, on(clock));
    second = std::make_unique<gsheets::SheetsApi>(second_settings, logger, on(clock));
    for (int i = 0; i < 4; ++i) first->spreadsheet();  // the first account's whole minute
    second->spreadsheet();
    second->spreadsheet();  // the project's 6th
  }
};

}  // namespace

TEST_CASE("two connections of one project share its budget: the request past it waits for the minute, none is refused") {
  TwoConnections c("shared-a@quota-proj.iam.gserviceaccount.com", "quota-proj",
                   "shared-b@quota-proj.iam.gserviceaccount.com", "quota-proj");
  CHECK(c.first->project() == "quota-proj");
  CHECK(c.second->project() == "quota-proj");
  CHECK(c.clock.slept.empty());
  c.second->spreadsheet();  // the project's 7th: the next minute
  CHECK(c.clock.slept == std::vector<milliseconds>{minutes(1)});
  INFO(c.log.log());
  CHECK_THAT(c.log.log(), Catch::Contains("read quota: waited 60000 ms for the budget of project quota-proj, 6 requests "
                                          "per minute (config.project_requests_per_minute)"));
  CHECK(c.f.fake->read_requests() == 7);
  CHECK(c.f.fake->refused_for_quota() == 0);
}

TEST_CASE("keys of different projects have separate budgets: the fake's project quota then answers 429") {
  // The fake counts both accounts in its one project; the key files say otherwise.
  TwoConnections c("split-a@split-proj.iam.gserviceaccount.com", "split-proj-a",
                   "split-b@split-proj.iam.gserviceaccount.com", "split-proj-b");
  try {
    c.second->spreadsheet();
    FAIL("the fake's project quota should have refused the 7th read");
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::rate_limited);
    CHECK_THAT(e.what(), Catch::Contains("HTTP 429 RESOURCE_EXHAUSTED") &&
                             Catch::Contains("limit 'Read requests per minute' of service 'sheets.googleapis.com'"));
  }
  CHECK(c.clock.slept.empty());
  CHECK(c.f.fake->refused_for_quota() == 1);
}

TEST_CASE("a credential's own budget holds it under the per-user quota while the project has room") {
  SheetsFixture f;
  Clock clock;
  const std::string account = "alone@user-proj.iam.gserviceaccount.com";
  small_quota(f, clock, {account});
  f.fake->set_quota(4, 300);
  auto settings = settings_for(f, key_file(f, account, "user-proj"));
  settings.project_requests_per_minute = 300;
  HostCapture log;
  sluice::Logger logger(&log.host);
  gsheets::SheetsApi api(settings, logger, on(clock));
  for (int i = 0; i < 5; ++i) api.spreadsheet();
  CHECK(clock.slept == std::vector<milliseconds>{minutes(1)});
  CHECK_THAT(log.log(), Catch::Contains("waited 60000 ms for the budget of service account " + account +
                                        ", 4 requests per minute (config.requests_per_minute)"));
  CHECK(f.fake->refused_for_quota() == 0);
}
