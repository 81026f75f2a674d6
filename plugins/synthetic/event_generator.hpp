// Deterministic synthetic records, written straight to JSON text: record i
// depends only on (seed, i), never on batch boundaries or earlier runs, so a
// resumed run produces exactly what an uninterrupted one would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synthetic {

// 2026-01-01T00:00:00Z: event k of the sequence happens k seconds later.
inline constexpr int64_t kBaseEpochSeconds = 1767225600;

struct GeneratorConfig {
  int64_t customers = 10;
  int64_t events = 1000;
  int64_t updates = 0;
  uint64_t seed = 1;
};

class EventGenerator {
 public:
  explicit EventGenerator(const GeneratorConfig& config) : config_(config) {}

  // Length of the event sequence: the events, then the updates.
  int64_t sequence_length() const { return config_.events + config_.updates; }
  bool is_update(int64_t k) const { return k >= config_.events; }
  int64_t update_number(int64_t k) const { return k - config_.events; }

  // Appends sequence item k (0 <= k < sequence_length()) as one JSON object:
  // for k < events the original event k; after that, update k - events,
  // a revision of an earlier event with ts k seconds after the base.
  void append_sequence_item(int64_t k, std::string& out) const;
  // Appends event `index` exactly as first emitted (for stale copies).
  void append_original_event(int64_t index, std::string& out) const;
  // The event an update revises.
  int64_t revised_event(int64_t update) const;
  // Appends customer `id` (1-based).
  void append_customer(int64_t id, std::string& out) const;

  // "2026-01-01T00:00:07.000000Z" for sequence item 7; and back: any RFC
  // 3339 timestamp gives the item of its whole second (negative before the
  // base), nullopt for text that is not one.
  static std::string timestamp(int64_t k);
  static std::optional<int64_t> sequence_index(std::string_view timestamp);

 private:
  void append_event(int64_t index, int64_t k, int64_t revision, std::string& out) const;
  uint64_t random(uint64_t stream, uint64_t i) const;

  GeneratorConfig config_;
};

}  // namespace synthetic
