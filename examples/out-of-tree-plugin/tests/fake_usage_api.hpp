// The usage API of src/usage_api_connector.cpp, faked on Sluice's test kit
// (a real HTTPS server on 127.0.0.1 with its own CA).
#pragma once

#include <testkit/fake_server.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

struct FakeUsageApi {
  explicit FakeUsageApi(std::string api_key) : key(std::move(api_key)) {}

  // Appends events with ids next_id.. (customer c-<id % 3>, quantity id).
  void add_events(int count);
  // The `after` parameter of every listing request, in order.
  std::vector<long> afters() const;

  sluice::testkit::FakeResponse operator()(const sluice::testkit::FakeRequest& request);

 private:
  std::string key;
  mutable std::mutex mutex_;
  std::vector<boost::json::object> events_;
  std::vector<long> afters_;
};
