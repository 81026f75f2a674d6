// The synthetic connector's config schema. The host validates configs
// against it and renders it with `sluice spec synthetic --format markdown`.
#pragma once

namespace synthetic {

inline constexpr const char* kSpecJson = R"JSON({"config_schema": {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Synthetic usage data",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "customers": {"type": "integer", "minimum": 1, "default": 10, "order": 0,
                  "title": "Customers", "description": "How many customers to generate."},
    "events": {"type": "integer", "minimum": 0, "default": 1000, "order": 1,
               "title": "Events", "description": "How many usage events to generate; raise it between runs to see an incremental sync read only the new ones."},
    "seed": {"type": "integer", "default": 1, "order": 2,
             "title": "Seed", "description": "Same seed, same data, byte for byte."},
    "updates": {"type": "integer", "minimum": 0, "default": 0, "order": 3,
                "title": "Updates", "description": "After the events, emit this many revised versions of earlier events (same id, newer ts), to exercise deduplication."},
    "updates_out_of_order": {"type": "boolean", "default": false, "order": 4,
                             "title": "Stale copies after updates", "description": "After each revised event, also emit a stale copy of it with its original (older) ts: a deduplicating sync must keep the revision."},
    "namespace": {"type": "string", "default": "", "order": 5, "pattern": "^[A-Za-z0-9_]*$",
                  "title": "Namespace", "description": "When set, both streams carry this namespace."},
    "batch_size": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1000, "order": 6,
                   "title": "Batch size", "description": "Records per batch; usage_events checkpoints after every batch."},
    "api_key": {"type": "string", "secret": true, "order": 7,
                "title": "API key", "description": "Not used to reach anything: a secret field for testing masking."},
    "fail_after_batches": {"type": "integer", "minimum": 0, "default": 0, "order": 8,
                           "title": "Test knob: fail after N batches", "description": "Fail the read with a source error after N batches (0: never)."},
    "abort_after_batches": {"type": "integer", "minimum": 0, "default": 0, "order": 9,
                            "title": "Test knob: abort after N batches", "description": "Kill the process (abort) after N batches, to simulate a crash (0: never)."},
    "delay_ms_per_batch": {"type": "integer", "minimum": 0, "default": 0, "order": 10,
                           "title": "Test knob: delay per batch", "description": "Milliseconds to sleep after each batch, to make a sync slow enough to interrupt."},
    "check_fails": {"type": "boolean", "default": false, "order": 11,
                    "title": "Test knob: failing check", "description": "Make `sluice check` fail with an authentication error."},
    "leak_secret_in_logs": {"type": "boolean", "default": false, "order": 12,
                            "title": "Test knob: leak the API key", "description": "Deliberately log the api_key, to prove the host masks it."}
  }
}})JSON";

}  // namespace synthetic
