// An ingest stream as the conformance tests declare one: `name` with a
// schema of `properties`, its id in event_id and its time in occurred_at,
// plus `more` keys of the declaration (customer_field, late_after_seconds).
// REQUIREs that host/ingest/ingest_stream reads it without a problem.
#pragma once

#include "host/ingest/ingest_stream.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace sluice::test {

inline host::IngestStream declared_stream(const std::string& name, boost::json::object properties,
                                          const boost::json::object& more = {}) {
  boost::json::object declaration{{"name", name},
                                  {"schema", {{"type", "object"}, {"properties", std::move(properties)}}},
                                  {"id_field", "event_id"},
                                  {"time_field", "occurred_at"}};
  for (const auto& [key, value] : more) declaration[key] = value;
  host::IngestStream stream;
  const auto problems = host::parse_ingest_stream(declaration, stream);
  INFO(boost::json::serialize(declaration));
  REQUIRE(problems.empty());
  return stream;
}

}  // namespace sluice::test
