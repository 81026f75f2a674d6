// The concurrent fetcher against a fake that holds requests until the test
// lets them go: order of delivery, exactly the pages before a failure, cancel,
// the per-host limit (shared, halved by a 429 storm, grown back) and prefetch.
// Every wait is on an event (a request arriving, a fetch blocked on the
// limit); a wait that never ends fails after a minute instead of hanging.
#include "testkit/fake_server.hpp"

#include "sdk/support/host_limiter.hpp"

#include <sluice/connector.hpp>
#include <sluice/support/auth.hpp>
#include <sluice/support/fetcher.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::support;
using testkit::FakeRequest;
using testkit::FakeResponse;
using testkit::FakeServer;
namespace json = boost::json;

namespace {

constexpr auto kGuard = std::chrono::seconds(60);  // only a broken fetcher waits this long

// What the fake sees: requests arriving (with how many were inside the
// handler at that moment, themselves included), requests held until the test
// releases their path (or all), and a way to wait for any of it.
class Wire {
 public:
  // Holds requests whose path is in `held` (all of them with "*") until released.
  explicit Wire(std::set<std::string> held = {}) : held_(std::move(held)) {}

  // In the handler: counts the request in and returns `answer` to be held,
  // if its path is held (or `hold_this`), until released; it counts out when
  // it goes.
  FakeResponse pass(const std::string& path, FakeResponse answer, bool hold_this = false) {
    std::lock_guard lock(mutex_);
    ++in_flight_;
    peak_ = std::max(peak_, in_flight_);
    arrivals_.push_back({path, in_flight_});
    changed_.notify_all();
    const bool hold = hold_this || held_.count(path) || held_.count("*");
    answer.hold = [this, path, hold] {
      std::unique_lock held(mutex_);
      const bool released = changed_.wait_for(held, kGuard, [&] { return !hold || released_.count(path) || all_; });
      --in_flight_;
      changed_.notify_all();
      if (!released) throw std::runtime_error("held past the guard");
    };
    return answer;
  }
  void release(const std::string& path) {
    std::lock_guard lock(mutex_);
    released_.insert(path);
    changed_.notify_all();
  }
  void release_all() {
    std::lock_guard lock(mutex_);
    all_ = true;
    changed_.notify_all();
  }
  // From now on, holds every request until the next release_all().
  void hold_all() {
    std::lock_guard lock(mutex_);
    held_ = {"*"};
    all_ = false;
  }
  // Blocks until `ready()` (called under the lock); REQUIREs it came.
  void wait(const std::function<bool()>& ready) {
    std::unique_lock lock(mutex_);
    const bool came = changed_.wait_for(lock, kGuard, ready);
    INFO("in flight " << in_flight_ << ", arrived " << arrivals_.size());
    REQUIRE(came);
  }
  void wait_in_flight(size_t n) {
    wait([&] { return in_flight_ >= n; });
  }

  struct Arrival {
    std::string path;
    size_t in_flight;
  };
  std::vector<Arrival> arrivals() {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }
  size_t arrivals_unlocked() const { return arrivals_.size(); }  // REQUIRES: mutex_ held (inside wait())
  size_t in_flight() {
    std::lock_guard lock(mutex_);
    return in_flight_;
  }
  size_t peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }
  void reset_peak() {
    std::lock_guard lock(mutex_);
    peak_ = in_flight_;
  }

  std::mutex mutex_;
  std::condition_variable changed_;

 private:
  size_t in_flight_ = 0;
  std::set<std::string> held_;
  std::set<std::string> released_;
  bool all_ = false;
  size_t peak_ = 0;
  std::vector<Arrival> arrivals_;
};

// A clock that moves only when a client waits (retries never sleep).
struct FakeClock {
  std::atomic<int64_t> millis{1'700'000'000'000};
  void install(HttpOptions& options) {
    options.now = [this] {
      return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis.load()));
    };
    options.sleep = [this](std::chrono::milliseconds d) { millis += d.count(); };
  }
};

HttpOptions options_for(const FakeServer& server, FakeClock& clock, int attempts = 3) {
  HttpOptions options;
  options.ca_file = server.ca_file();
  options.read_timeout = std::chrono::seconds(60);
  options.retry.max_attempts = attempts;
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(100);
  clock.install(options);
  return options;
}

FakeResponse page_answer(const FakeRequest& request) {
  return FakeResponse::json(200, json::object{{"page", request.path}});
}


}  // namespace

TEST_CASE("pages answered out of order are delivered in index order, on the calling thread") {
  Wire wire({"/page/0", "/page/1", "/page/2", "/page/3"});
  FakeServer server([&](const FakeRequest& r) {
    return wire.pass(r.path, page_answer(r));
  });
  FakeClock clock;
  FetchPool pool(options_for(server, clock), nullptr, server.base_url(), {4, 0});
  std::vector<size_t> fetched;  // in the order the answers came
  std::mutex fetched_mutex;
  std::condition_variable fetched_changed;
  // The answers come last page first: each released once the one after it is in.
  std::thread releaser([&] {
    wire.wait_in_flight(4);
    for (int i = 3; i >= 0; --i) {
      wire.release("/page/" + std::to_string(i));
      std::unique_lock lock(fetched_mutex);
      fetched_changed.wait_for(lock, kGuard, [&] { return fetched.size() == static_cast<size_t>(4 - i); });
    }
  });
  const auto caller = std::this_thread::get_id();
  std::vector<std::string> delivered;
  bool on_caller = true;
  fetch_in_order<std::string>(
      pool, 0, 4,
      [&](HttpClient& client, size_t i) {
        std::string body = client.get_json_text(server.base_url() + "/page/" + std::to_string(i));
        std::lock_guard lock(fetched_mutex);
        fetched.push_back(i);
        fetched_changed.notify_all();
        return body;
      },
      [&](size_t i, std::string& page) {
        on_caller = on_caller && std::this_thread::get_id() == caller;
        delivered.push_back(std::to_string(i) + " " + page);
        return true;
      });
  releaser.join();
  CHECK(fetched == std::vector<size_t>{3, 2, 1, 0});
  CHECK(delivered == std::vector<std::string>{R"(0 {"page":"/page/0"})", R"(1 {"page":"/page/1"})",
                                              R"(2 {"page":"/page/2"})", R"(3 {"page":"/page/3"})"});
  CHECK(on_caller);
  CHECK(wire.peak() == 4);
}

TEST_CASE("a page failing after its retries delivers exactly the pages before it, then throws its error") {
  // Page 2 fails only once page 3 has been answered: a later page is in hand
  // when the failure comes, and must not be delivered.
  Wire wire({"/page/2"});
  std::atomic<bool> page3_answered{false};
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/page/2") {
      FakeResponse failed;
      failed.status = 503;
      failed.body = R"({"message":"backend unavailable"})";
      return wire.pass(r.path, failed);
    }
    return wire.pass(r.path, page_answer(r));
  });
  FakeClock clock;
  FetchPool pool(options_for(server, clock, 2), nullptr, server.base_url(), {4, 0});
  std::thread releaser([&] {
    wire.wait([&] {
      return page3_answered.load();
    });
    wire.release("/page/2");
  });
  std::vector<size_t> delivered;
  std::atomic<int> running{0};
  try {
    fetch_in_order<std::string>(
        pool, 0, 6,
        [&](HttpClient& client, size_t i) {
          ++running;
          std::string body;
          try {
            body = client.get_json_text(server.base_url() + "/page/" + std::to_string(i));
          } catch (...) {
            --running;
            throw;
          }
          --running;
          if (i == 3) {
            std::lock_guard lock(wire.mutex_);
            page3_answered = true;
            wire.changed_.notify_all();
          }
          return body;
        },
        [&](size_t i, std::string&) {
          delivered.push_back(i);
          return true;
        });
    FAIL("the failed page was not reported");
  } catch (const HttpError& e) {
    CHECK(e.failure() == HttpFailure::transient);
    CHECK(std::string(e.what()) ==
          "GET " + server.base_url() + "/page/2: HTTP 503 OK: backend unavailable (gave up after 2 attempts)");
  }
  releaser.join();
  CHECK(delivered == std::vector<size_t>{0, 1});
  CHECK(page3_answered);
  CHECK(running == 0);  // every job ended before the call returned
}

TEST_CASE("a cancel during parallel fetches interrupts them, throws Cancelled and leaves no job running") {
  Wire wire({"*"});
  FakeServer server([&](const FakeRequest& r) {
    return wire.pass(r.path, page_answer(r));
  });
  FakeClock clock;
  std::atomic<bool> cancel{false};
  HttpOptions options = options_for(server, clock, 1);  // a read timeout of a minute: only the cancel ends the wait
  options.cancelled = [&] { return cancel.load(); };
  FetchPool pool(options, nullptr, server.base_url(), {4, 0});
  std::thread canceller([&] {
    wire.wait_in_flight(4);
    cancel = true;
  });
  std::atomic<int> running{0};
  size_t delivered = 0;
  CHECK_THROWS_AS(fetch_in_order<std::string>(
                      pool, 0, 100,
                      [&](HttpClient& client, size_t i) {
                        ++running;
                        struct Out {
                          std::atomic<int>& n;
                          ~Out() { --n; }
                        } out{running};
                        return client.get_json_text(server.base_url() + "/page/" + std::to_string(i));
                      },
                      [&](size_t, std::string&) {
                        ++delivered;
                        return true;
                      }),
                  Cancelled);
  CHECK(running == 0);
  CHECK(delivered == 0);
  CHECK(wire.arrivals().size() == 4);  // nothing was asked after the cancel
  canceller.join();
  wire.release_all();
}

TEST_CASE("deliver saying stop ends the loop with no job left running") {
  FakeServer server(page_answer);
  FakeClock clock;
  FetchPool pool(options_for(server, clock), nullptr, server.base_url(), {3, 0});
  std::vector<size_t> delivered;
  fetch_in_order<std::string>(
      pool, 5, SIZE_MAX,
      [&](HttpClient& client, size_t i) { return client.get_json_text(server.base_url() + "/page/" + std::to_string(i)); },
      [&](size_t i, std::string&) {
        delivered.push_back(i);
        return i < 7;  // page 7 says it is the last
      });
  CHECK(delivered == std::vector<size_t>{5, 6, 7});
  CHECK(server.request_count() <= 3 + 3);  // at most `concurrency` pages past the last delivered
  // The pool is reusable after an early stop.
  delivered.clear();
  fetch_in_order<std::string>(
      pool, 0, 2,
      [&](HttpClient& client, size_t i) { return client.get_json_text(server.base_url() + "/page/" + std::to_string(i)); },
      [&](size_t i, std::string&) {
        delivered.push_back(i);
        return true;
      });
  CHECK(delivered == std::vector<size_t>{0, 1});
}

TEST_CASE("a 429 storm halves the host's concurrency down to one request at a time - successes bring it back to the setting") {
  // The first four requests are held until all four are in (concurrency 4
  // on the wire), then every request up to the 30th is answered 429, and
  // every later one 200.
  Wire wire;
  std::atomic<int> count{0};
  FakeServer server([&](const FakeRequest& r) {
    const int n = ++count;
    if (n <= 30) {
      FakeResponse limited;
      limited.status = 429;
      limited.body = R"({"message":"Too Many Requests"})";
      return wire.pass(r.path, limited, n <= 4);
    }
    return wire.pass(r.path, page_answer(r));
  });
  std::thread releaser([&] {
    wire.wait_in_flight(4);
    wire.release_all();
  });
  FakeClock clock;
  const auto limiter = support::detail::host_limiter(server.base_url());  // kept to read its load afterwards
  FetchPool pool(options_for(server, clock, 50), nullptr, server.base_url(), {4, 0});
  const size_t pages = 40;
  std::vector<size_t> delivered;
  fetch_in_order<std::string>(
      pool, 0, pages,
      [&](HttpClient& client, size_t i) { return client.get_json_text(server.base_url() + "/page/" + std::to_string(i)); },
      [&](size_t i, std::string&) {
        delivered.push_back(i);
        return true;
      });
  releaser.join();
  REQUIRE(delivered.size() == pages);
  CHECK(wire.arrivals()[3].in_flight == 4);
  const auto arrivals = wire.arrivals();
  REQUIRE(arrivals.size() == 30 + pages);
  // Late in the storm, one request at a time.
  for (size_t i = 14; i < 30; ++i) {
    INFO("request " << i + 1);
    CHECK(arrivals[i].in_flight == 1);
  }
  // Ten pages answered 200 grow it back to the setting, never past it.
  CHECK(limiter->load().limit == 4);
  CHECK(limiter->load().running == 0);

  // On the wire: four requests at once again (each held until four are in).
  wire.hold_all();
  wire.reset_peak();
  std::thread release_four([&] {
    wire.wait_in_flight(4);
    wire.release_all();
  });
  fetch_in_order<std::string>(
      pool, 100, 104,
      [&](HttpClient& client, size_t i) { return client.get_json_text(server.base_url() + "/page/" + std::to_string(i)); },
      [&](size_t, std::string&) { return true; });
  release_four.join();
  CHECK(wire.peak() == 4);
}

TEST_CASE("two pools on one host share its limit: the second waits for a slot the first holds") {
  Wire wire({"/a/0", "/a/1"});
  FakeServer server([&](const FakeRequest& r) {
    return wire.pass(r.path, page_answer(r));
  });
  FakeClock clock;
  const auto limiter = support::detail::host_limiter(server.base_url());
  FetchPool first(options_for(server, clock), nullptr, server.base_url(), {2, 0});
  FetchPool second(options_for(server, clock), nullptr, server.base_url() + "/other/path", {2, 0});
  auto fetch_from = [&](std::string prefix) {
    return std::function<std::string(HttpClient&, size_t)>([&server, prefix](HttpClient& client, size_t i) {
      return client.get_json_text(server.base_url() + prefix + std::to_string(i));
    });
  };
  const std::function<bool(size_t, std::string&)> accept = [](size_t, std::string&) { return true; };
  std::thread a([&] { fetch_in_order<std::string>(first, 0, 2, fetch_from("/a/"), accept); });
  wire.wait_in_flight(2);
  std::vector<size_t> delivered;
  std::thread b([&] {
    fetch_in_order<std::string>(second, 0, 1, fetch_from("/b/"), [&](size_t i, std::string&) {
      delivered.push_back(i);
      return true;
    });
  });
  // The second pool's request is blocked on the host's limit, not sent.
  limiter->wait_until([](const support::detail::HostLimiter::Load& load) { return load.waiting >= 1; });
  CHECK(wire.in_flight() == 2);
  CHECK(limiter->load().running == 2);
  wire.release("/a/0");
  wire.release("/a/1");
  a.join();
  b.join();
  CHECK(delivered == std::vector<size_t>{0});
  CHECK(wire.peak() == 2);
  const auto arrivals = wire.arrivals();
  REQUIRE(arrivals.size() == 3);
  CHECK(arrivals[2].path == "/b/0");
}

TEST_CASE("the lowest concurrency of the pools on a host applies to all of them") {
  FakeServer server(page_answer);
  FakeClock clock;
  const auto limiter = support::detail::host_limiter(server.base_url());
  FetchPool wide(options_for(server, clock), nullptr, server.base_url(), {8, 0});
  CHECK(limiter->load().limit == 8);
  {
    FetchPool narrow(options_for(server, clock), nullptr, server.base_url(), {3, 0});
    CHECK(limiter->load().limit == 3);
  }
  CHECK(limiter->load().limit == 3);  // grows back by successes, not at once
}

namespace {

std::optional<std::string> next_of(const std::string& body) {
  const auto page = json::parse(body).as_object();
  if (const auto* next = page.if_contains("next")) return std::string(next->as_string());
  return std::nullopt;
}

}  // namespace

TEST_CASE("prefetch asks for the next page while the page before is being delivered") {
  Wire wire;
  FakeServer server([&](const FakeRequest& r) {
    const std::string token = r.query("token");
    json::object page{{"rows", json::array{token}}};
    if (token.empty()) page["next"] = "t1";
    if (token == "t1") page["next"] = "t2";
    return wire.pass("token:" + token, FakeResponse::json(200, page));
  });
  FakeClock clock;
  FetchPool pool(options_for(server, clock), nullptr, server.base_url(), {4, 0});
  std::vector<std::string> delivered;
  prefetch_token_pages<std::string>(
      pool, std::nullopt,
      [&](HttpClient& client, const std::string& token) {
        return client.get_json_text(server.base_url() + "/tokens?token=" + url_encode(token));
      },
      next_of,
      [&](std::string& page) {
        const std::string token(json::parse(page).at("rows").at(0).as_string());
        // The request for the page after this one is already out.
        if (token == "") wire.wait([&] { return wire.arrivals_unlocked() >= 2; });
        delivered.push_back(token);
        return true;
      });
  CHECK(delivered == std::vector<std::string>{"", "t1", "t2"});
}

TEST_CASE("a repeated token in prefetch fails before its page is delivered, and is never fetched twice") {
  Wire wire;
  FakeServer server([&](const FakeRequest& r) {
    const std::string token = r.query("token");
    const std::map<std::string, std::string> chain{{"", "a"}, {"a", "b"}, {"b", "a"}};
    return wire.pass(token, FakeResponse::json(200, json::object{{"rows", json::array{token}}, {"next", chain.at(token)}}));
  });
  FakeClock clock;
  FetchPool pool(options_for(server, clock), nullptr, server.base_url(), {4, 0});
  std::vector<std::string> delivered;
  auto fetch = [&](HttpClient& client, const std::string& token) {
    return client.get_json_text(server.base_url() + "/tokens?token=" + url_encode(token));
  };
  auto deliver = [&](std::string& page) {
    delivered.emplace_back(json::parse(page).at("rows").at(0).as_string());
    return true;
  };
  try {
    prefetch_token_pages<std::string>(pool, std::nullopt, fetch, next_of, deliver, "GET /tokens");
    FAIL("a cycle of tokens was followed");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::source);
    CHECK(std::string(e.what()) == "GET /tokens: pagination did not advance: page 3 returned the page token of page 1 again");
  }
  CHECK(delivered == std::vector<std::string>{"", "a"});
  std::vector<std::string> asked;
  for (const auto& arrival : wire.arrivals()) asked.push_back(arrival.path);
  CHECK(asked == std::vector<std::string>{"", "a", "b"});

  // Checkpoints: the starting one counts as seen.
  delivered.clear();
  CHECK_THROWS_WITH(prefetch_token_pages<std::string>(pool, std::string("b"), fetch, next_of, deliver, "GET /logs"),
                    "GET /logs: pagination did not advance: page 2 returned the checkpoint it started from again");
  CHECK(delivered == std::vector<std::string>{"b"});
}

TEST_CASE("workers share one client-credentials token, fetched once") {
  std::atomic<int> token_requests{0};
  FakeServer server([&](const FakeRequest& r) {
    if (r.path == "/oauth/token") {
      ++token_requests;
      return FakeResponse::json(200, json::object{{"access_token", "tok-1"}, {"expires_in", 86400},
                                                  {"token_type", "Bearer"}});
    }
    if (r.header("Authorization") != "Bearer tok-1") return FakeResponse::json(401, json::object{{"message", "no"}});
    return page_answer(r);
  });
  FakeClock clock;
  FetchPool pool(options_for(server, clock), client_credentials_auth(server.base_url() + "/oauth/token", "id", "secret", "aud"),
                 server.base_url(), {4, 0});
  size_t delivered = 0;
  fetch_in_order<std::string>(
      pool, 0, 12,
      [&](HttpClient& client, size_t i) { return client.get_json_text(server.base_url() + "/page/" + std::to_string(i)); },
      [&](size_t, std::string&) {
        ++delivered;
        return true;
      });
  CHECK(delivered == 12);
  CHECK(token_requests == 1);
}

TEST_CASE("a requests-per-second limit spaces requests out on the pool's clock, after a second's burst") {
  FakeServer server(page_answer);
  FakeClock clock;
  const int64_t start = clock.millis;
  std::vector<int64_t> sent_at;  // by the fake clock, as each fetch starts
  FetchPool pool(options_for(server, clock), nullptr, server.base_url(), {1, 2.0});
  fetch_in_order<std::string>(
      pool, 0, 6,
      [&](HttpClient& client, size_t i) {
        sent_at.push_back(clock.millis - start);
        return client.get_json_text(server.base_url() + "/page/" + std::to_string(i));
      },
      [&](size_t, std::string&) { return true; });
  // Two at once (the bucket holds a second's worth), then one every 500 ms.
  REQUIRE(sent_at.size() == 6);
  CHECK(sent_at[0] == 0);
  CHECK(sent_at[1] == 0);
  for (size_t i = 2; i < 6; ++i) {
    INFO("request " << i);
    CHECK(sent_at[i] >= 500 * static_cast<int64_t>(i - 1));
    CHECK(sent_at[i] < 500 * static_cast<int64_t>(i - 1) + 100);
  }
}

TEST_CASE("a pool at a high concurrency holds new requests while the server's rate-limit headers say its budget is "
          "spent, goes on at the reset and draws no 429") {
  // Auth0's X-RateLimit-* headers on every answer (apis.md 1.5; https://auth0.com/docs/troubleshoot/customer-support/
  // operational-policies/rate-limit-policy): a window of 10 requests that
  // starts full again every 60 s of the fake clock; past it the fake answers 429.
  FakeClock clock;
  std::mutex mutex;
  int64_t window_start = clock.millis;
  int used = 0, refused = 0;
  std::vector<std::pair<int64_t, int>> served;  // (clock, window number) of each 200
  FakeServer server([&](const FakeRequest& request) {
    std::lock_guard lock(mutex);
    while (clock.millis >= window_start + 60'000) {
      window_start += 60'000;
      used = 0;
    }
    const int64_t reset_s = (window_start + 60'000) / 1000;
    FakeResponse answer = page_answer(request);
    if (used >= 10) {
      ++refused;
      answer = FakeResponse::json(429, json::object{{"statusCode", 429}, {"error", "Too Many Requests"}});
    } else {
      ++used;
      served.emplace_back(clock.millis.load(), static_cast<int>((window_start - 1'700'000'000'000) / 60'000));
    }
    return answer.with_header("X-RateLimit-Limit", "10")
        .with_header("X-RateLimit-Remaining", std::to_string(10 - used))
        .with_header("X-RateLimit-Reset", std::to_string(reset_s));
  });
  HttpOptions options = options_for(server, clock);
  options.retry.max_backoff = std::chrono::seconds(120);  // a 60 s reset is worth waiting for
  std::vector<std::string> logged;
  options.log = [&](int, std::string_view text) {
    std::lock_guard lock(mutex);
    logged.emplace_back(text);
  };
  FetchPool pool(options, nullptr, server.base_url(), {8, 0});
  size_t delivered = 0;
  fetch_in_order<std::string>(
      pool, 0, 20,
      [&](HttpClient& client, size_t i) {
        return client.get_json_text(server.base_url() + "/page/" + std::to_string(i));
      },
      [&](size_t, std::string&) { return ++delivered, true; });

  CHECK(delivered == 20);
  std::lock_guard lock(mutex);
  CHECK(refused == 0);
  // A tenth of each window is left to the tenant's other clients: at most 9
  // of our requests in one, so 20 need three windows or more (workers
  // waiting together each move the fake clock, so a window can pass with
  // few requests).
  std::map<int, int> per_window;
  for (const auto& [at, window] : served) ++per_window[window];
  CHECK(per_window.size() >= 3);
  for (const auto& [window, count] : per_window) {
    INFO("window " << window);
    CHECK(count <= 9);
  }
  REQUIRE_FALSE(logged.empty());
  CHECK_THAT(logged.front(), Catch::Contains("requests remain of 10 until its rate limit resets in") &&
                                 Catch::Contains("new requests wait for the reset"));
}

TEST_CASE("a rate-limit budget is read only from integer X-RateLimit-Remaining and -Reset, and a hostile reset or "
          "Retry-After is clamped") {
  auto with = [](Headers headers) {
    HttpResponse response;
    response.status = 200;
    response.headers = std::move(headers);
    return sluice::support::detail::server_budget(response);
  };
  const auto full =
      with({{"x-ratelimit-limit", "50"}, {"X-RateLimit-Remaining", "7"}, {"X-RateLimit-Reset", "1700000060"}});
  REQUIRE(full);
  CHECK(full->limit == 50);
  CHECK(full->remaining == 7);
  CHECK(full->reset == std::chrono::system_clock::time_point(std::chrono::seconds(1700000060)));
  CHECK(with({{"X-RateLimit-Remaining", "7"}, {"X-RateLimit-Reset", "1700000060"}})->limit == 0);
  CHECK_FALSE(with({{"X-RateLimit-Remaining", "7"}}));
  CHECK_FALSE(with({{"X-RateLimit-Remaining", "seven"}, {"X-RateLimit-Reset", "1700000060"}}));
  CHECK_FALSE(with({{"X-RateLimit-Remaining", "7"}, {"X-RateLimit-Reset", "1.7e9"}}));
  const auto hostile = with({{"X-RateLimit-Remaining", "-3"}, {"X-RateLimit-Reset", "9223372036854775807"}});
  REQUIRE(hostile);
  CHECK(hostile->remaining == 0);
  CHECK(hostile->reset == std::chrono::system_clock::time_point(std::chrono::seconds(1LL << 32)));
  // A 429's wait reads the same headers: a hostile number is a very long
  // wait (which the client refuses as such), never an overflow.
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  const std::chrono::milliseconds longest((1LL << 32) * 1000);
  HttpResponse answer;
  answer.status = 429;
  answer.headers = {{"X-RateLimit-Reset", "9223372036854775807"}};
  CHECK(sluice::support::detail::server_delay(answer, now) == longest);
  answer.headers = {{"Retry-After", "9223372036854775807"}};
  CHECK(sluice::support::detail::server_delay(answer, now) == longest);
  answer.headers = {{"Retry-After", "-5"}};
  CHECK(sluice::support::detail::server_delay(answer, now) == std::chrono::milliseconds(0));
}
