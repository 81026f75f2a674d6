// The example connector. It reaches no network: it generates deterministic
// usage data (customers and their metered usage events), which makes it the
// source for tests, benchmarks and the README demo, and the connector to
// copy when writing a new one.
#include "event_generator.hpp"
#include "spec.hpp"

#include <sluice/sdk.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace synthetic {

namespace json = boost::json;

namespace {

int64_t integer(const sluice::Config& config, const char* key) { return config.at(key).as_int64(); }
bool flag(const sluice::Config& config, const char* key) { return config.at(key).as_bool(); }

json::object property(const char* type, const char* format = nullptr) {
  json::object schema{{"type", type}};
  if (format) schema["format"] = format;
  return schema;
}

// Counts batches across a read() and applies the failure knobs, which exist
// so that tests can interrupt a sync at a precise point.
class BatchKnobs {
 public:
  explicit BatchKnobs(const sluice::Config& config)
      : fail_after_(integer(config, "fail_after_batches")),
        abort_after_(integer(config, "abort_after_batches")),
        delay_ms_(integer(config, "delay_ms_per_batch")) {}

  void after_batch() {
    ++batches_;
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    if (abort_after_ > 0 && batches_ == abort_after_) std::abort();
    if (fail_after_ > 0 && batches_ == fail_after_) {
      throw sluice::Error(sluice::ErrorKind::source, "synthetic: simulated source failure after " +
                                                         std::to_string(batches_) + " batches");
    }
  }

 private:
  int64_t fail_after_, abort_after_, delay_ms_;
  int64_t batches_ = 0;
};

}  // namespace

class SyntheticConnector : public sluice::Connector {
 public:
  void check(const sluice::Config& config, sluice::Logger& log) override {
    maybe_leak(config, log);
    if (flag(config, "check_fails")) {
      throw sluice::Error(sluice::ErrorKind::auth, "synthetic: simulated authentication failure");
    }
  }

  std::vector<sluice::Stream> discover(const sluice::Config& config, sluice::Logger& log) override {
    maybe_leak(config, log);
    std::string ns(config.at("namespace").as_string());

    sluice::Stream customers;
    customers.name = "customers";
    customers.ns = ns;
    customers.description = "The customers being billed.";
    customers.json_schema = {{"type", "object"},
                             {"properties",
                              {{"id", property("integer")},
                               {"name", property("string")},
                               {"email", property("string")},
                               {"plan", property("string")},
                               {"country", property("string")},
                               {"created_at", property("string", "date-time")},
                               {"monthly_budget", property("number")}}}};
    customers.sync_modes = sluice::full_refresh_modes();
    customers.primary_key = {{"id"}};

    sluice::Stream events;
    events.name = "usage_events";
    events.ns = ns;
    events.description = "Metered usage, one event per second of synthetic time.";
    events.json_schema = {{"type", "object"},
                          {"properties",
                           {{"id", property("string")},
                            {"customer_id", property("integer")},
                            {"ts", property("string", "date-time")},
                            {"metric", property("string")},
                            {"quantity", property("integer")},
                            {"amount", property("number")},
                            {"unit", property("string")},
                            {"region", property("string")},
                            {"billable", property("boolean")},
                            {"attributes", property("object")}}}};
    events.sync_modes = sluice::all_sync_modes();
    events.default_cursor_field = {"ts"};
    events.primary_key = {{"id"}};
    return {customers, events};
  }

  void read(const sluice::Config& config, const std::vector<sluice::ConfiguredStream>& streams,
            sluice::ReadContext& ctx) override {
    maybe_leak(config, ctx);
    GeneratorConfig generator_config{integer(config, "customers"), integer(config, "events"),
                                     integer(config, "updates"), static_cast<uint64_t>(integer(config, "seed"))};
    EventGenerator generator(generator_config);
    BatchKnobs knobs(config);
    const int64_t batch_size = integer(config, "batch_size");
    for (const auto& stream : streams) {
      if (stream.name == "customers") {
        read_customers(generator, generator_config.customers, batch_size, stream, ctx, knobs);
      } else if (stream.name == "usage_events") {
        read_events(generator, flag(config, "updates_out_of_order"), batch_size, stream, ctx, knobs);
      } else {
        throw sluice::Error(sluice::ErrorKind::config, "synthetic: no stream named " + stream.name);
      }
    }
  }

 private:
  static void maybe_leak(const sluice::Config& config, const sluice::Logger& log) {
    if (flag(config, "leak_secret_in_logs") && config.contains("api_key")) {
      log.info("synthetic: deliberately logging the api key: " + std::string(config.at("api_key").as_string()));
    }
  }

  static void read_customers(const EventGenerator& generator, int64_t count, int64_t batch_size,
                             const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx, BatchKnobs& knobs) {
    std::string record;
    for (int64_t id = 1; id <= count; ++id) {
      record.clear();
      generator.append_customer(id, record);
      ctx.emit_serialized(stream, record);
      if (id % batch_size == 0 || id == count) {
        ctx.flush(stream);
        knobs.after_batch();
      }
    }
  }

  // Emits the event sequence from just after the saved cursor, checkpointing
  // after every batch with the ts of the last sequence item emitted.
  static void read_events(const EventGenerator& generator, bool stale_copies, int64_t batch_size,
                          const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx, BatchKnobs& knobs) {
    int64_t next = 0;
    if (stream.incremental() && stream.state.is_object()) {
      const auto* ts = stream.state.as_object().if_contains("ts");
      const auto saved = ts && ts->is_string() ? EventGenerator::sequence_index(ts->get_string()) : std::nullopt;
      next = saved ? *saved + 1 : -1;
      if (next < 0) {
        throw sluice::Error(sluice::ErrorKind::config,
                            "synthetic: saved state is not {\"ts\": \"<timestamp>\"}; reset it with sluice state reset");
      }
    }
    const int64_t end = generator.sequence_length();
    std::string record;
    for (int64_t k = next, in_batch = 0; k < end; ++k) {
      record.clear();
      generator.append_sequence_item(k, record);
      ctx.emit_serialized(stream, record);
      if (stale_copies && generator.is_update(k)) {
        // The revised event's original version, older cursor: arriving after
        // the revision, it must not replace it in a deduplicated table.
        record.clear();
        generator.append_original_event(generator.revised_event(generator.update_number(k)), record);
        ctx.emit_serialized(stream, record);
      }
      if (++in_batch == batch_size || k + 1 == end) {
        if (stream.incremental()) ctx.checkpoint(stream, json::object{{"ts", EventGenerator::timestamp(k)}});
        else ctx.flush(stream);
        ctx.progress(stream, k + 1, end);
        in_batch = 0;
        knobs.after_batch();
      }
    }
  }
};

}  // namespace synthetic

SLUICE_PLUGIN(synthetic::SyntheticConnector, "synthetic", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/synthetic.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              synthetic::kSpecJson)
