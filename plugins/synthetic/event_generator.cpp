#include "event_generator.hpp"

#include <sluice/support/timestamp.hpp>

#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>

namespace synthetic {

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;

// splitmix64: a tiny, fast, well-mixed hash; good enough to make data look
// varied, and identical on every platform.
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Every string below is plain ASCII without quotes or backslashes, so it
// needs no JSON escaping.
constexpr const char* kMetrics[] = {"api_calls", "storage_gb_hours", "compute_seconds", "active_seats"};
constexpr const char* kUnits[] = {"call", "gb_hour", "second", "seat"};
constexpr int64_t kUnitPriceMicros[] = {200, 35000, 1200, 9000000};  // price per unit in millionths
constexpr const char* kRegions[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"};
constexpr const char* kPlans[] = {"free", "starter", "growth", "enterprise"};
constexpr const char* kCountries[] = {"US", "DE", "FR", "GB", "JP", "BR", "IN", "AU"};

template <typename T, size_t N>
const T& pick(const T (&list)[N], uint64_t r) {
  return list[r % N];
}

// Decimal digits without snprintf (a third of the generator's time went to
// printf's format parsing): `width` pads with zeros on the left.
void append_integer(int64_t value, std::string& out, int width = 0) {
  char text[24];
  auto end = std::to_chars(text, text + sizeof text, value).ptr;
  for (auto digits = end - text; digits < width; ++digits) out += '0';
  out.append(text, end);
}

// "12.34": whole units and two decimals of a non-negative amount in millionths.
void append_amount(int64_t micros, std::string& out) {
  append_integer(micros / 1000000, out);
  out += '.';
  append_integer((micros % 1000000) / 10000, out, 2);
}

}  // namespace

uint64_t EventGenerator::random(uint64_t stream, uint64_t i) const {
  return splitmix64(config_.seed * 0x100000001B3ull ^ splitmix64(stream * 0x1000193ull + i));
}

std::string EventGenerator::timestamp(int64_t k) {
  return sluice::support::format_rfc3339({(kBaseEpochSeconds + k) * kMicrosPerSecond});
}

std::optional<int64_t> EventGenerator::sequence_index(std::string_view timestamp) {
  auto time = sluice::support::parse_rfc3339(timestamp);
  if (!time) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(std::chrono::microseconds(time->micros)).count() -
         kBaseEpochSeconds;
}

int64_t EventGenerator::revised_event(int64_t update) const {
  // A fixed stride (a prime) spreads revisions over the events.
  return config_.events == 0 ? 0 : (update * 7919) % config_.events;
}

void EventGenerator::append_event(int64_t index, int64_t k, int64_t revision, std::string& out) const {
  const auto i = static_cast<uint64_t>(index);
  uint64_t r = random(1, i);
  size_t metric = r % 4;
  int64_t quantity = 1 + static_cast<int64_t>(random(2, i) % 1000) + revision * 7;
  int64_t customer = 1 + static_cast<int64_t>(random(3, i) % static_cast<uint64_t>(config_.customers));
  out += "{\"id\":\"evt-";
  append_integer(index, out, 12);
  out += "\",\"customer_id\":";
  append_integer(customer, out);
  out += ",\"ts\":\"";
  sluice::support::append_rfc3339(out, {(kBaseEpochSeconds + k) * kMicrosPerSecond});
  out += "\",\"metric\":\"";
  out += kMetrics[metric];
  out += "\",\"quantity\":";
  append_integer(quantity, out);
  out += ",\"amount\":";
  append_amount(quantity * kUnitPriceMicros[metric], out);
  out += ",\"unit\":\"";
  out += kUnits[metric];
  out += "\",\"region\":\"";
  out += pick(kRegions, r >> 8);
  out += (random(4, i) % 10) < 9 ? "\",\"billable\":true" : "\",\"billable\":false";
  out += ",\"attributes\":{\"sku\":\"sku-";
  append_integer(static_cast<int64_t>((r >> 16) % 200), out, 3);
  out += "\",\"revision\":";
  append_integer(revision, out);
  out += "}}";
}

void EventGenerator::append_sequence_item(int64_t k, std::string& out) const {
  if (k < config_.events) {
    append_event(k, k, 0, out);
  } else {
    int64_t update = k - config_.events;
    append_event(revised_event(update), k, 1 + update, out);
  }
}

void EventGenerator::append_original_event(int64_t index, std::string& out) const {
  append_event(index, index, 0, out);
}

void EventGenerator::append_customer(int64_t id, std::string& out) const {
  const auto i = static_cast<uint64_t>(id);
  uint64_t r = random(10, i);
  char text[512];
  int n = std::snprintf(text, sizeof text,
                        "{\"id\":%" PRId64 ",\"name\":\"Customer %" PRId64 "\",\"email\":\"billing+%" PRId64
                        "@customer%" PRId64 ".example\",\"plan\":\"%s\",\"country\":\"%s\",\"created_at\":\"%s\","
                        "\"monthly_budget\":",
                        id, id, id, id, pick(kPlans, r), pick(kCountries, r >> 8),
                        timestamp(-static_cast<int64_t>(86400 * (1 + (r >> 16) % 700))).c_str());
  out.append(text, static_cast<size_t>(n));
  append_amount(static_cast<int64_t>(100 + (r >> 24) % 50000) * 1000000, out);
  out += "}";
}

}  // namespace synthetic
