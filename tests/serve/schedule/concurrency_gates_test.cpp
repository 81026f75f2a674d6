// How many runs go at once: never two of one connection, a global and a
// per-plugin limit, slots given back by the permit's destructor.
#include "host/serve/schedule/concurrency_gates.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace sluice::host::serve;

namespace {

bool refused_with(std::variant<Permit, GateRefusal>& answer, GateRefusal refusal) {
  return std::holds_alternative<GateRefusal>(answer) && std::get<GateRefusal>(answer) == refusal;
}

}  // namespace

TEST_CASE("a connection never runs twice at once - its slot comes back when the permit goes") {
  ConcurrencyGates gates(GateLimits{4, 4, {}});
  auto first = gates.try_acquire("orders", "stripe");
  REQUIRE(std::holds_alternative<Permit>(first));
  auto second = gates.try_acquire("orders", "stripe");
  CHECK(refused_with(second, GateRefusal::connection_running));
  CHECK(std::string(to_string(GateRefusal::connection_running)) == "connection already running");
  CHECK(gates.is_running("orders"));
  CHECK(gates.running() == 1);
  first = GateRefusal::global_limit;  // destroys the permit
  CHECK_FALSE(gates.is_running("orders"));
  CHECK(gates.running() == 0);
  CHECK(std::holds_alternative<Permit>(gates.try_acquire("orders", "stripe")));
}

TEST_CASE("the global limit and the per-plugin limit (with overrides) refuse runs past them") {
  ConcurrencyGates gates(GateLimits{3, 2, {{"bigquery", 1}}});
  std::vector<Permit> held;
  auto take = [&](const std::string& connection, const std::string& plugin) {
    auto answer = gates.try_acquire(connection, plugin);
    if (auto* permit = std::get_if<Permit>(&answer)) {
      held.push_back(std::move(*permit));
      return std::string("ok");
    }
    return std::string(to_string(std::get<GateRefusal>(answer)));
  };
  CHECK(take("s1", "stripe") == "ok");
  CHECK(take("s2", "stripe") == "ok");
  CHECK(take("s3", "stripe") == "plugin concurrency limit reached");
  CHECK(take("b1", "bigquery") == "ok");
  CHECK(take("b2", "bigquery") == "global concurrency limit reached");
  CHECK(gates.running() == 3);
  CHECK(gates.running("stripe") == 2);
  held.erase(held.begin() + 2);  // b1 done
  CHECK(gates.running("bigquery") == 0);
  CHECK(take("b2", "bigquery") == "ok");
  CHECK(take("b3", "bigquery") == "global concurrency limit reached");
  held.clear();
  CHECK(gates.running() == 0);
}

TEST_CASE("a moved permit releases once, and threads racing for slots never pass the limits") {
  ConcurrencyGates gates(GateLimits{3, 2, {}});
  {
    auto answer = gates.try_acquire("a", "p");
    Permit moved = std::move(std::get<Permit>(answer));
    CHECK(gates.running() == 1);
  }
  CHECK(gates.running() == 0);

  std::atomic<int> over_global{0}, over_plugin{0}, twice{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string connection = "c" + std::to_string((i + t) % 5);
        const std::string plugin = i % 2 ? "p" : "q";
        auto answer = gates.try_acquire(connection, plugin);
        if (std::holds_alternative<Permit>(answer)) {
          if (gates.running() > 3) ++over_global;
          if (gates.running(plugin) > 2) ++over_plugin;
          if (std::holds_alternative<Permit>(gates.try_acquire(connection, "x"))) ++twice;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(over_global == 0);
  CHECK(over_plugin == 0);
  CHECK(twice == 0);
  CHECK(gates.running() == 0);
}
