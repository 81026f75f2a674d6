// The request budgets (per credential, per project), on an injected clock: no real waits.
#include "request_budget.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;
using namespace std::chrono;

TEST_CASE("at most N requests start in any minute - the next waits until the oldest leaves the window") {
  RequestBudget budget(3);
  RequestBudget::Clock::time_point now{};
  CHECK(budget.reserve(now) == milliseconds(0));
  now += seconds(10);
  CHECK(budget.reserve(now) == milliseconds(0));
  CHECK(budget.reserve(now) == milliseconds(0));
  CHECK(budget.reserve(now) == seconds(50));  // the first left at t=60
  now += seconds(50);
  CHECK(budget.reserve(now) == milliseconds(0));
}

TEST_CASE("wait_for_budget sleeps through the injected sleep until a request fits") {
  RequestBudget budget(2);
  RequestBudget::Clock::time_point now{};
  std::vector<milliseconds> slept;
  auto clock = [&] { return now; };
  auto sleep = [&](milliseconds wait) {
    slept.push_back(wait);
    now += wait;
  };
  CHECK(wait_for_budget(budget, clock, sleep) == milliseconds(0));
  CHECK(wait_for_budget(budget, clock, sleep) == milliseconds(0));
  CHECK(wait_for_budget(budget, clock, sleep) == seconds(60));
  CHECK(slept == std::vector<milliseconds>{seconds(60)});
}

TEST_CASE("one budget per credential for the process - the lowest rate asked for wins") {
  auto a = RequestBudget::for_credential("account:test-budget@x", 60);
  auto b = RequestBudget::for_credential("account:test-budget@x", 30);
  auto other = RequestBudget::for_credential("account:other-budget@x", 60);
  CHECK(a == b);
  CHECK(a->per_minute() == 30);
  CHECK(other != a);
}

TEST_CASE("a request takes a turn in its credential's and its project's budget, or waits holding neither") {
  RequestBudget credential(2, "service account a"), project(3, "project p");
  RequestBudget::Clock::time_point now{};
  CHECK(RequestBudget::reserve_all({&credential, &project}, now).wait == milliseconds(0));
  CHECK(project.reserve(now) == milliseconds(0));  // another credential of the project
  CHECK(project.reserve(now + seconds(20)) == milliseconds(0));
  // The project is full until t=60: the credential's second turn is not taken meanwhile.
  const auto turn = RequestBudget::reserve_all({&credential, &project}, now + seconds(30));
  CHECK(turn.wait == seconds(30));
  CHECK(turn.full == &project);
  CHECK(credential.reserve(now + seconds(30)) == milliseconds(0));
  CHECK(credential.reserve(now + seconds(30)) == seconds(30));
}

TEST_CASE("one budget per project for the process, shared by its credentials - the lowest rate asked for wins") {
  auto a = RequestBudget::for_project("test-budget-project", 300);
  auto b = RequestBudget::for_project("test-budget-project", 120);
  CHECK(a == b);
  CHECK(a->per_minute() == 120);
  CHECK(RequestBudget::for_project("other-budget-project", 300) != a);
  // A credential and a project of the same name are different budgets.
  CHECK(RequestBudget::for_credential("test-budget-project", 300) != a);
}
