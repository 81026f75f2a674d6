#include "fake_usage_api.hpp"

namespace json = boost::json;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

void FakeUsageApi::add_events(int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) {
    const auto id = static_cast<int64_t>(events_.size()) + 1;
    events_.push_back(json::object{{"id", id},
                                   {"customer", "c-" + std::to_string(id % 3)},
                                   {"metric", "api_calls"},
                                   {"quantity", id},
                                   {"ts", "2026-12-01T00:00:00Z"}});
  }
}

std::vector<long> FakeUsageApi::afters() const {
  std::lock_guard lock(mutex_);
  return afters_;
}

FakeResponse FakeUsageApi::operator()(const FakeRequest& request) {
  if (request.header("Authorization") != "Bearer " + key) {
    return FakeResponse::json(401, json::object{{"error", "invalid_api_key"}, {"message", "The API key is not valid."}});
  }
  if (request.path != "/v1/usage_events") return FakeResponse::json(404, json::object{{"message", "Not found."}});
  const long after = std::stol(request.query("after", "0"));
  const size_t limit = std::stoul(request.query("limit", "100"));
  std::lock_guard lock(mutex_);
  afters_.push_back(after);
  json::array page;
  size_t next = static_cast<size_t>(after);  // ids are 1..n at index id-1
  for (; next < events_.size() && page.size() < limit; ++next) page.push_back(events_[next]);
  return FakeResponse::json(200, json::object{{"data", page}, {"has_more", next < events_.size()}});
}
