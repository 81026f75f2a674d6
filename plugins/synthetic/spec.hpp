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
                "title": "API key", "description": "Not used to reach anything: shows how a secret field is declared, validated and masked."}
  }
}})JSON";

}  // namespace synthetic
