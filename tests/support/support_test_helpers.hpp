// Shared by the support library's tests: a client that trusts a FakeServer's
// CA, retries fast, and records every log line it writes.
#pragma once

#include "testkit/fake_server.hpp"

#include <sluice/support/http_client.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice::test {

struct LoggedClient {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  std::unique_ptr<support::HttpClient> client;

  // read_timeout: long enough for a fake that signs or verifies RSA on a
  // loaded machine; tests of the timeout itself pass a short one.
  explicit LoggedClient(const testkit::FakeServer& server, int max_attempts = 4,
                        std::chrono::milliseconds read_timeout = std::chrono::milliseconds(10'000),
                        std::function<std::chrono::system_clock::time_point()> now = {}) {
    support::HttpOptions options;
    options.ca_file = server.ca_file();
    options.read_timeout = read_timeout;
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.retry.max_attempts = max_attempts;
    options.retry.initial_backoff = std::chrono::milliseconds(10);
    options.retry.max_backoff = std::chrono::milliseconds(3000);
    if (now) options.now = std::move(now);
    auto sink = lines;
    options.log = [sink](int, std::string_view line) { sink->emplace_back(line); };
    client = std::make_unique<support::HttpClient>(std::move(options));
  }

  std::string all_logs() const {
    std::string out;
    for (const auto& line : *lines) out += line + "\n";
    return out;
  }
};

}  // namespace sluice::test
