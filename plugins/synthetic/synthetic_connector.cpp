// The example connector. It reaches no network: it generates deterministic
// usage data (customers and their metered usage events), which makes it the
// source for tests, benchmarks and the README demo, and the connector to
// copy when writing a new one.
#include "event_generator.hpp"
#include "spec.hpp"

#include <sluice/sdk.hpp>


namespace synthetic {

namespace json = boost::json;

namespace {

json::object property(const char* type, const char* format = nullptr) {
  json::object schema{{"type", type}};
  if (format) schema["format"] = format;
  return schema;
}

}  // namespace

class SyntheticConnector : public sluice::Connector {
 public:
  SyntheticConnector(const sluice::Config& config, const sluice::Logger& log)
      : config_(config),
        log_(log),
        generator_config_{config.integer("customers"), config.integer("events"), config.integer("updates"),
                          static_cast<uint64_t>(config.integer("seed"))} {}

  // Nothing to reach: the data is generated.
  void check() override { log_.debug("synthetic data needs no source to reach"); }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>&) override {
    const std::string ns = config_.string("namespace");

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
    customers.source_defined_primary_key = true;

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
    // The generator resumes by ts and identifies events by id: no other
    // cursor or key can be honoured.
    events.source_defined_cursor = true;
    events.source_defined_primary_key = true;
    return {customers, events};
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    EventGenerator generator(generator_config_);
    const int64_t batch_size = config_.integer("batch_size");
    if (stream.name == "customers") {
      read_customers(generator, generator_config_.customers, batch_size, ctx);
    } else if (stream.name == "usage_events") {
      read_events(generator, config_.boolean("updates_out_of_order"), batch_size, ctx);
    } else {
      throw sluice::Error(sluice::ErrorKind::config, "no stream named " + stream.name);
    }
  }

 private:
  static void read_customers(const EventGenerator& generator, int64_t count, int64_t batch_size,
                             sluice::ReadContext& ctx) {
    std::string record;
    for (int64_t id = 1; id <= count; ++id) {
      record.clear();
      generator.append_customer(id, record);
      ctx.emit_serialized(record);
      if (id % batch_size == 0 || id == count) {
        ctx.flush();
      }
    }
  }

  // Emits the event sequence from just after the saved cursor, checkpointing
  // after every batch with the ts of the last sequence item emitted.
  static void read_events(const EventGenerator& generator, bool stale_copies, int64_t batch_size,
                          sluice::ReadContext& ctx) {
    const sluice::ConfiguredStream& stream = ctx.stream();
    int64_t next = 0;
    if (stream.incremental() && stream.state.is_object()) {
      const auto* ts = stream.state.as_object().if_contains("ts");
      const auto saved = ts && ts->is_string() ? EventGenerator::sequence_index(ts->get_string()) : std::nullopt;
      next = saved ? *saved + 1 : -1;
      if (next < 0) {
        throw sluice::Error(sluice::ErrorKind::config,
                            "saved state is not {\"ts\": \"<timestamp>\"}; reset it with sluice state reset");
      }
    }
    const int64_t end = generator.sequence_length();
    std::string record;
    for (int64_t k = next, in_batch = 0; k < end; ++k) {
      record.clear();
      generator.append_sequence_item(k, record);
      ctx.emit_serialized(record);
      if (stale_copies && generator.is_update(k)) {
        // The revised event's original version, older cursor: arriving after
        // the revision, it must not replace it in a deduplicated table.
        record.clear();
        generator.append_original_event(generator.revised_event(generator.update_number(k)), record);
        ctx.emit_serialized(record);
      }
      if (++in_batch == batch_size || k + 1 == end) {
        if (stream.incremental()) ctx.checkpoint(json::object{{"ts", EventGenerator::timestamp(k)}});
        else ctx.flush();
        ctx.progress(k + 1, end);
        in_batch = 0;
      }
    }
  }

  sluice::Config config_;
  const sluice::Logger& log_;
  GeneratorConfig generator_config_;
};

}  // namespace synthetic

SLUICE_PLUGIN(synthetic::SyntheticConnector, "synthetic", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/synthetic.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              synthetic::kSpecJson)
